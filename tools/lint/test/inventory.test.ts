import { describe, expect, it } from 'vitest';
import { lint, type LintOptions } from '../src/index.js';
import { fixture, line } from './helpers.js';

const inventory = (file: string, extra: Partial<LintOptions> = {}) =>
  lint({ cwd: fixture('inventory'), inventory: file, ...extra });

describe('inventory files', () => {
  it('applies every rule that needs no source code, with line numbers into the YAML', () => {
    const result = inventory('state.yaml');
    expect(result.diagnostics.map(line)).toEqual([
      'state.yaml:7:1 fingerprint-mismatch state.yaml records fingerprint sha256:0000000000000000000000000000000000000000000000000000000000000000, but its surfaces hash to sha256:9999958066be0b60226ce9bdf67a9ad3fdaec8c71d1a3394eede28fa03df5689',
      'state.yaml:18:5 duplicate-id surface id "invoices" is already declared at line 9',
      'state.yaml:26:5 projection-without-source derived projection "invoices.by-customer" does not name its source surface',
      'state.yaml:40:5 unbounded-telemetry telemetry log "events.debug" has no bound; declare retention by count or age',
      'state.yaml:44:5 local-state-multi-replica restart-safe-local record "cache.local" is used in a deployment of 3 replicas; each replica would keep its own copy',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.files).toBe(1);
    expect(result.surfaces.map((s) => s.id)).toEqual([
      'cache.allowed',
      'cache.local',
      'events.debug',
      'invoices',
      'invoices',
      'invoices.by-customer',
    ]);
  });

  it('lets --replicas override the deployment section', () => {
    const result = inventory('state.yaml', { deployment: { replicas: 1 } });
    expect(result.diagnostics.filter((d) => d.rule === 'local-state-multi-replica')).toEqual([]);
  });

  it('passes a clean inventory', () => {
    const result = inventory('clean.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    [
      'syntax-error.yaml',
      [
        'syntax-error.yaml:5:1 parse-error inventory cannot be parsed: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
    [
      'duplicate-key.json',
      ['duplicate-key.json:4:3 parse-error inventory cannot be parsed: duplicate member name "surfaces"'],
    ],
    [
      'invalid.yaml',
      [
        'invalid.yaml:5:5 invalid-document inventory /surfaces/0/class must be one of the allowed values, got "forever"',
        'invalid.yaml:9:15 invalid-document inventory /surfaces/0/bounds/maxValueBytes must be >= 1',
        'invalid.yaml:11:5 invalid-document inventory /surfaces/0/colour is not an allowed property',
      ],
    ],
    ['missing.yaml', ['missing.yaml:-:- project-error cannot read inventory missing.yaml: no such file']],
  ])('rejects %s with exit code 2 and the position of each problem', (file, expected) => {
    const result = inventory(file);
    expect(result.diagnostics.map(line)).toEqual(expected);
    expect(result.exitCode).toBe(2);
    expect(result.fingerprint).toBeUndefined();
  });
});

describe('hostile inventories', () => {
  it('rejects an alias bomb instead of expanding it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-inventory-'));
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 0; i < 12; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    writeFileSync(join(dir, 'bomb.yaml'), `${lines.join('\n')}\n`);
    const result = lint({ cwd: dir, inventory: 'bomb.yaml' });
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics.map(line)).toEqual([
      'bomb.yaml:1:1 parse-error inventory cannot be parsed: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });
});
