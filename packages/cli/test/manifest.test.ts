import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '@stateproof/core';
import { runCli } from './run-cli.js';

const basic = resolve(import.meta.dirname, '../../../tools/lint/test/fixtures/basic');

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-cli-manifest-'));
  cpSync(basic, dir, { recursive: true });
  return dir;
}

const run = (cwd: string, verb: string, ...argv: string[]) => runCli(cwd, [verb, ...argv]);

describe('stateproof manifest', () => {
  it('prints the manifest without --write or --check', async () => {
    const r = await run(basic, 'manifest');
    expect(r.code).toBe(0);
    const doc = readManifest(r.out);
    expect(doc.surfaces).toHaveLength(8);
    expect(existsSync(join(basic, 'stateproof.manifest.json'))).toBe(false);
  });

  it('writes with --write, then --check passes; a code change fails --check with the command that fixes it', async () => {
    const dir = copy();
    const missing = await run(dir, 'manifest', '--check');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      'stateproof.manifest.json does not exist.\nRun `stateproof manifest --write` and commit it.\n',
    );

    const write = await run(dir, 'manifest', '--write');
    expect(write.code).toBe(0);
    const written = readFileSync(join(dir, 'stateproof.manifest.json'), 'utf8');
    const doc = readManifest(written);
    expect(write.out).toBe(`wrote stateproof.manifest.json (8 surfaces, ${doc.fingerprint}).\n`);
    expect((await run(dir, 'manifest', '--write')).out).toBe(
      `stateproof.manifest.json is up to date (8 surfaces, ${doc.fingerprint}).\n`,
    );
    expect((await run(dir, 'manifest', '--check')).code).toBe(0);
    expect((await run(dir, 'lint')).code).toBe(0);

    const jobs = join(dir, 'src/state/jobs.ts');
    writeFileSync(
      jobs,
      readFileSync(jobs, 'utf8')
        .replace('maxAttempts: 5', 'maxAttempts: 7')
        .replace("'effects.charge-card'", "'effects.refund'"),
    );
    const check = await run(dir, 'manifest', '--check');
    expect(check.code).toBe(1);
    const now = JSON.parse((await run(dir, 'manifest')).out).fingerprint;
    expect(check.err).toBe(
      [
        'stateproof.manifest.json is out of date:',
        '  added:   effects.refund',
        '  removed: effects.charge-card',
        '  changed: jobs.default',
        `  fingerprint: ${doc.fingerprint} -> ${now}`,
        'Run `stateproof manifest --write` and commit the result.',
        '',
      ].join('\n'),
    );
    const lint = await run(dir, 'lint');
    expect(lint.code).toBe(1);
    expect(lint.out).toContain('fix: stateproof manifest --write');
  });

  it('fails --check on a location-only change, and names --project in the fix', async () => {
    const dir = copy();
    await run(dir, 'manifest', '--write', '--project', 'tsconfig.json');
    const orders = join(dir, 'src/state/orders.ts');
    writeFileSync(orders, `\n${readFileSync(orders, 'utf8')}`);
    const check = await run(dir, 'manifest', '--check', '--project', 'tsconfig.json');
    expect(check.code).toBe(1);
    expect(check.err).toContain(
      'descriptions, owners, recovery notes, locations or formatting differ (the fingerprint does not)',
    );
    expect(check.err).toContain('Run `stateproof manifest --write --project tsconfig.json` and commit the result.');
  });

  it('records a deployment with --replicas and keeps it on later writes; lint then applies it', async () => {
    const dir = copy();
    await run(dir, 'manifest', '--write', '--replicas', '3', '--app', 'shop');
    const first = JSON.parse(readFileSync(join(dir, 'stateproof.manifest.json'), 'utf8'));
    expect(first.deployment).toEqual({ replicas: 3 });
    expect(first.app).toBe('shop');
    await run(dir, 'manifest', '--write');
    expect(JSON.parse(readFileSync(join(dir, 'stateproof.manifest.json'), 'utf8')).deployment).toEqual({ replicas: 3 });
    const lint = await run(dir, 'lint');
    expect(lint.code).toBe(1);
    expect(lint.out).toContain('restart-safe-local dataspace "presence.routes" is used in a deployment of 3 replicas');
    expect((await run(dir, 'lint', '--allow-local', 'presence.routes')).code).toBe(0);
  });

  it('exits 2 on an invalid manifest with --check, on unparsable code, and on --write with --check', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'stateproof.manifest.json'), '{\n  "manifestVersion": 1\n}\n');
    const invalid = await run(dir, 'manifest', '--check');
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain(
      "  1:1      error   manifest / must have required property 'fingerprint'  invalid-document",
    );
    expect(invalid.err).toContain('Run `stateproof manifest --write` to regenerate it.');
    expect((await run(dir, 'manifest', '--write')).code).toBe(0);

    writeFileSync(join(dir, 'src/broken.ts'), 'export const = 1;\n');
    const broken = await run(dir, 'manifest', '--write');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('src/broken.ts\n  1:14     error   Variable declaration expected.  parse-error');

    const both = await run(dir, 'manifest', '--write', '--check');
    expect(both.code).toBe(2);
    expect(both.err).toContain('give --write or --check, not both');
  });
});
