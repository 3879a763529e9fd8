import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDocument, LintReportSchema } from '@stateproof/spec';
import { describe, expect, it } from 'vitest';
import { formatResult, lint, type LintOptions } from '../src/index.js';
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
    expect(result.gaps).toEqual([]);
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

describe('durability-gap: declared versus current', () => {
  it('reports a memory backend under a shared-durable declaration, as a warning', () => {
    const result = inventory('gap.yaml', { deployment: { replicas: 1 } });
    expect(result.diagnostics.map(line)).toEqual([
      'gap.yaml:7:5 durability-gap shared-durable record "router.responses" is ephemeral today (backend memory): it loses acknowledged writes, on a kill or restart of the application process or a kill of the backend server; one copy shared by every replica (each would keep its own), on a deployment of several replicas',
      'gap.yaml:11:5 durability-gap shared-durable record "router.sessions" is restart-safe-local today (backend sqlite:./state.db): it loses one copy shared by every replica (each would keep its own), on a deployment of several replicas',
      'gap.yaml:23:5 durability-gap restart-safe-local queue "router.jobs" is ephemeral today (backend redis://cache): it loses acknowledged writes, on a kill or restart of the application process',
      'gap.yaml:27:5 durability-gap shared-durable record "router.local" is restart-safe-local today (backend ./local.sqlite): it loses one copy shared by every replica (each would keep its own), on a deployment of several replicas',
    ]);
    expect(result.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(inventory('gap.yaml', { deployment: { replicas: 1 }, failOn: 'warning' }).exitCode).toBe(1);
    expect(result.gaps.map((g) => [g.surfaceId, g.declared, g.current, g.losses.map((l) => l.guarantee)])).toEqual([
      [
        'router.responses',
        'shared-durable',
        'ephemeral',
        ['survivesProcessKill', 'survivesBackendKill', 'sharedAcrossReplicas'],
      ],
      ['router.sessions', 'shared-durable', 'restart-safe-local', ['sharedAcrossReplicas']],
      ['router.jobs', 'restart-safe-local', 'ephemeral', ['survivesProcessKill']],
      ['router.local', 'shared-durable', 'restart-safe-local', ['sharedAcrossReplicas']],
    ]);
  });

  it('reports a surface that runs on local state today in a multi-replica deployment (local-state-multi-replica)', () => {
    const result = inventory('gap.yaml');
    expect(result.diagnostics.filter((d) => d.rule === 'local-state-multi-replica').map(line)).toEqual([
      'gap.yaml:11:5 local-state-multi-replica shared-durable record "router.sessions" runs on restart-safe-local state today (backend sqlite:./state.db) in a deployment of 3 replicas; each replica keeps its own copy',
      'gap.yaml:22:5 local-state-multi-replica restart-safe-local queue "router.jobs" is used in a deployment of 3 replicas; each replica would keep its own copy',
      'gap.yaml:27:5 local-state-multi-replica shared-durable record "router.local" runs on restart-safe-local state today (backend ./local.sqlite) in a deployment of 3 replicas; each replica keeps its own copy',
    ]);
    expect(result.exitCode).toBe(1);
    const allowed = inventory('gap.yaml', {
      deployment: { replicas: 3, allowLocalState: ['router.sessions', 'router.local', 'router.jobs'] },
    });
    expect(allowed.diagnostics.filter((d) => d.rule === 'local-state-multi-replica')).toEqual([]);
  });

  it('lists the gaps as an aligned table in text and as a gaps array in a JSON report valid against its schema', () => {
    const result = inventory('gap.yaml', { deployment: { replicas: 1 } });
    const text = formatResult(result, 'text', '/repo');
    expect(text).toContain(
      [
        'Durability gaps (declared versus current): 4',
        '  surface          | declared           | current                                | what is lost',
        '  -----------------|--------------------|----------------------------------------|-------------',
        '  router.responses | shared-durable     | ephemeral (memory)                     | acknowledged writes, on a kill or restart of the application process or a kill of the backend server; one copy shared by every replica (each would keep its own), on a deployment of several replicas',
        '  router.sessions  | shared-durable     | restart-safe-local (sqlite:./state.db) | one copy shared by every replica (each would keep its own), on a deployment of several replicas',
      ].join('\n'),
    );
    const report = JSON.parse(formatResult(result, 'json', '/repo'));
    expect(checkDocument(LintReportSchema, report)).toEqual([]);
    expect(report.gaps[0]).toEqual({
      surfaceId: 'router.responses',
      declared: 'shared-durable',
      current: 'ephemeral',
      backend: 'memory',
      restart: 'lost on restart',
      lost: 'acknowledged writes, on a kill or restart of the application process or a kill of the backend server; one copy shared by every replica (each would keep its own), on a deployment of several replicas',
      losses: [
        {
          guarantee: 'survivesProcessKill',
          lost: 'acknowledged writes',
          fault: 'a kill or restart of the application process',
        },
        { guarantee: 'survivesBackendKill', lost: 'acknowledged writes', fault: 'a kill of the backend server' },
        {
          guarantee: 'sharedAcrossReplicas',
          lost: 'one copy shared by every replica (each would keep its own)',
          fault: 'a deployment of several replicas',
        },
      ],
      file: 'gap.yaml',
      line: 7,
    });
    expect(formatResult(inventory('minimal.yaml'), 'json', '/repo')).not.toContain('"gaps"');
  });
});

describe('docs/examples/inventory.yaml', () => {
  const docs = new URL('../../../docs/', import.meta.url).pathname;

  it('lints without errors, its gaps listed, and docs/lint-in-ci.md points at it', () => {
    const result = lint({ cwd: docs, inventory: 'examples/inventory.yaml' });
    expect(result.diagnostics.filter((d) => d.severity !== 'warning').map(line)).toEqual([]);
    expect(result.diagnostics.map((d) => d.rule)).toEqual(result.gaps.map(() => 'durability-gap'));
    expect(result.gaps.length).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(`${docs}lint-in-ci.md`, 'utf8')).toContain('examples/inventory.yaml');
  });
});
