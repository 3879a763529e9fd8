import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, type LintOptions } from '../src/index.js';
import { fixture, line } from './helpers.js';

const inventory = (file: string, extra: Partial<LintOptions> = {}) =>
  lint({ cwd: fixture('inventory'), inventory: file, ...extra });

describe('inventory version 2: written in minutes', () => {
  it('lints the four-line inventory clean, with every other field at its default', () => {
    const result = inventory('minimal.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.surfaces).toEqual([
      {
        id: 'router.responses',
        kind: 'record',
        class: 'shared-durable',
        scope: 'app',
        schemaVersion: 1,
        schemas: {},
        bounds: { maxValueBytes: 1_048_576 },
        options: {},
        owner: 'router',
      },
    ]);
  });

  it('names the right word when a version 2 inventory writes class, once per place', () => {
    const result = inventory('misspelt.yaml');
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics.map(line)).toEqual([
      'misspelt.yaml:4:5 invalid-document inventory /surfaces/0/class `class` is spelled `durability` in an inventory: write durability: shared-durable (inventoryVersion 1 documents keep class)',
      'misspelt.yaml:8:33 invalid-document inventory /surfaces/1/current/class `class` is spelled `durability` in an inventory: write durability: ephemeral',
    ]);
  });

  it('says which version takes durability when a version 1 inventory writes it', () => {
    const result = inventory('v1-durability.yaml');
    expect(result.exitCode).toBe(2);
    expect(result.diagnostics.map(line)).toEqual([
      'v1-durability.yaml:5:5 invalid-document inventory /surfaces/0/durability `durability` is the word of inventory version 2: remove `inventoryVersion: 1` (version 2 needs only id, kind and durability), or write class in this version 1 document',
    ]);
  });

  it('keeps accepting version 1 inventories, with the same fingerprint as the same surfaces in version 2', () => {
    const v1 = inventory('clean.yaml');
    expect(v1.exitCode).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-inventory-'));
    const surfaces = v1.surfaces.map(({ class: durability, ...rest }) => ({ ...rest, durability }));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ surfaces }));
    const v2 = lint({ cwd: dir, inventory: 'v2.json' });
    expect(v2.diagnostics).toEqual([]);
    expect(v2.fingerprint).toBe(v1.fingerprint);
  });
});
