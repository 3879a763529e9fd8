import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  historyView,
  registerModel,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from '@stateproof/conformance';

// Debian's Chromium (apt-get install chromium); .ci/run installs it when missing.
const CHROMIUM = process.env['STATEPROOF_CHROMIUM'] ?? '/usr/bin/chromium';
const AVAILABLE = existsSync(CHROMIUM) || process.env['CI'] === 'true';
if (!existsSync(CHROMIUM))
  console[process.env['CI'] === 'true' ? 'error' : 'warn'](
    `\n*** HTML view browser tests ${process.env['CI'] === 'true' ? 'FAILING (CI=true)' : 'SKIPPED'}: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set STATEPROOF_CHROMIUM. ***\n`,
  );

type Op = Operation<RegisterInput<number>, RegisterOutput<number>>;
const model = registerModel(0);
const op = (
  client: number,
  input: RegisterInput<number>,
  invoke: number,
  complete?: number,
  output?: RegisterOutput<number>,
): Op => ({
  client,
  input,
  invoke,
  ...(complete === undefined ? {} : { complete, output }),
});

/** Four clients; client 3 reads a value nobody wrote after the writes are done. */
const history: Op[] = [
  op(0, { op: 'write', key: 'x', value: 1 }, 0, 10, { ok: true }),
  op(1, { op: 'read', key: 'x' }, 2, 12, { value: 1 }),
  op(2, { op: 'write', key: 'x', value: 2 }, 5, 20, { ok: true }),
  op(0, { op: 'cas', key: 'x', expect: 2, value: 3 }, 25, undefined),
  op(3, { op: 'read', key: 'x' }, 30, 40, { value: 9 }),
  op(1, { op: 'read', key: 'x' }, 31, 45, { value: 2 }),
];

describe.skipIf(!AVAILABLE)('the HTML view of a failed check, in headless Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-view-'));
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads, shows every operation in its client lane, and marks the one that had to come next', async () => {
    const result = checkLinearizability(model, history);
    expect(result.verdict).toBe('not-linearizable');
    const file = join(dir, 'view.html');
    writeFileSync(file, historyView(model, result, history, { title: 'a register' }));
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('a register');
    expect(await page.locator('.lane').count()).toBe(4);
    const ops = page.locator('.op');
    expect(await ops.count()).toBe(history.length);
    for (let i = 0; i < history.length; i++) {
      const bar = page.locator(`.op[data-index="${i}"]`);
      await expect.poll(() => bar.isVisible()).toBe(true);
      const box = (await bar.boundingBox())!;
      expect(box.width).toBeGreaterThan(1);
      // Later invokes sit further right: the bars are placed by time.
      if (i > 0)
        expect(box.x).toBeGreaterThanOrEqual((await page.locator(`.op[data-index="${i - 1}"]`).boundingBox())!.x - 0.5);
    }
    const blocked = page.locator('.op.blocked');
    expect(await blocked.count()).toBe(1);
    expect(await blocked.getAttribute('data-index')).toBe('4');
    expect(await blocked.getAttribute('title')).toMatch(/read 9 but the register holds [23]/);
    const color = await blocked.evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el)
          .borderTopColor,
    );
    expect(color).toBe('rgb(176, 0, 32)');
    // The prefix is numbered in linearization order, and the reasons are listed.
    expect(await page.locator('.op.prefix b').allTextContents()).toEqual(expect.arrayContaining(['1', '2', '3']));
    expect(await page.locator('table.unplaced-list tr.blocked').textContent()).toContain('must come next');
    expect(await page.locator('.verdict').getAttribute('data-verdict')).toBe('not-linearizable');
    expect(errors).toEqual([]);
    await page.close();
  });
});
