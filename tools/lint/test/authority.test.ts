import { Type } from '@sinclair/typebox';
import { createRegistry, log, queue, record } from '@stateproof/core';
import { describe, expect, it } from 'vitest';
import { extractFromSources, lint, RULE_NAMES, sarifLog, type LintDiagnostic } from '../src/index.js';
import { fixture, line } from './helpers.js';

/** Lints in-memory files under /virtual as a project. */
function extract(files: Record<string, string>) {
  const sources = Object.entries(files).map(([name, text]) => ({ path: `/virtual/${name}`, text }));
  return extractFromSources(sources, { cwd: '/virtual', root: '/virtual' });
}

const authority = (diagnostics: readonly LintDiagnostic[]) =>
  diagnostics.filter((d) => d.rule === 'telemetry-as-authority');

describe('telemetry-as-authority', () => {
  it('reports projections of telemetry, ephemeral and non-log sources in TypeScript, sources given by id or by reference', () => {
    const result = lint({ cwd: fixture('violations') });
    expect(authority(result.diagnostics).map(line)).toEqual([
      'src/authority.ts:6:26 telemetry-as-authority derived projection "metrics.per-minute" cannot be defined: its source "metrics.raw" is telemetry, which drops entries by design and is never the authority a projection folds',
      'src/authority.ts:7:23 telemetry-as-authority derived projection "scratch.digest" cannot be defined: its source "scratch.events" is ephemeral: a projection of state that may vanish could not be rebuilt from it',
      'src/authority.ts:8:21 telemetry-as-authority derived projection "metrics.by-id" cannot be defined: its source "metrics.raw" is telemetry, which drops entries by design and is never the authority a projection folds',
      'src/contract.ts:7:27 telemetry-as-authority derived projection "orders.by-customer" cannot be defined: its source "orders.main" is a record; a projector folds the entries of a log',
    ]);
    // A telemetry queue in code is reported once, at its call, as the definition would fail to load.
    expect(result.diagnostics.filter((d) => d.surfaceId === 'metrics.replay').map(line)).toEqual([
      'src/authority.ts:9:23 unbounded-telemetry telemetry queue "metrics.replay" has no bound; declare retention by count or age',
      'src/authority.ts:9:49 invalid-definition a queue cannot be telemetry; that class allows log',
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('reports the same in an inventory file, and a telemetry surface that is not a log', () => {
    const result = lint({ cwd: fixture('inventory'), inventory: 'authority.yaml' });
    expect(result.diagnostics.map(line)).toEqual([
      'authority.yaml:35:5 telemetry-as-authority derived projection "metrics.per-minute" cannot be defined: its source "metrics.raw" is telemetry, which drops entries by design and is never the authority a projection folds',
      'authority.yaml:52:5 telemetry-as-authority derived projection "scratch.digest" cannot be defined: its source "scratch.events" is ephemeral: a projection of state that may vanish could not be rebuilt from it',
      'authority.yaml:69:5 telemetry-as-authority derived projection "orders.summary" cannot be defined: its source "orders.by-id" is a record; a projector folds the entries of a log',
      'authority.yaml:75:5 telemetry-as-authority telemetry queue "metrics.replay": a queue cannot be telemetry (that class allows log); telemetry drops entries and is never the authority a queue decides with',
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('says exactly what @stateproof/core says when the same definitions load', () => {
    // The runtime's refusal, definition by definition, with the source defined first.
    const refusal = (define: () => unknown): string => {
      try {
        define();
      } catch (error) {
        return (error as Error).message;
      }
      return 'defined';
    };
    const registry = createRegistry();
    const metrics = log('metrics.raw', {
      durability: 'telemetry',
      value: Type.Number(),
      retention: { maxEntries: 10 },
      registry,
    });
    const scratch = log('scratch.events', { durability: 'ephemeral', value: Type.String(), registry });
    record('orders.main', { durability: 'shared-durable', value: Type.String(), registry });
    const runtime = [
      refusal(() =>
        record('metrics.per-minute', {
          durability: 'derived-projection',
          source: metrics,
          value: Type.Number(),
          registry,
        }),
      ),
      refusal(() =>
        log('scratch.digest', { durability: 'derived-projection', source: scratch, value: Type.String(), registry }),
      ),
      refusal(() =>
        record('orders.by-customer', {
          durability: 'derived-projection',
          source: 'orders.main',
          value: Type.String(),
          registry,
        }),
      ),
    ];
    const linted = authority(lint({ cwd: fixture('violations') }).diagnostics).map((d) => d.message);
    expect(runtime).toEqual([linted[0], linted[1], linted[3]]);
    expect(refusal(() => queue('metrics.replay', { durability: 'telemetry', payload: Type.String(), registry }))).toBe(
      'a queue cannot be telemetry; that class allows log',
    );
  });

  it('passes a projection of an authoritative log, and leaves an external or unknown source to projection-without-source', () => {
    const result = extract({
      'a.ts': [
        "import { Type } from '@sinclair/typebox';",
        "import { log, record } from '@stateproof/core';",
        "export const orders = log('orders', { durability: 'restart-safe-local', value: Type.Number() });",
        "export const totals = record('orders.totals', { durability: 'derived-projection', source: orders, value: Type.Number() });",
        "export const billing = record('billing.totals', { durability: 'derived-projection', source: 'external:billing-db', value: Type.Number() });",
      ].join('\n'),
    });
    expect(result.diagnostics).toEqual([]);
    const linted = lint({ cwd: fixture('violations') });
    expect(linted.diagnostics.filter((d) => d.surfaceId === 'orders.by-day').map((d) => d.rule)).toEqual([
      'projection-without-source',
    ]);
  });

  it('has a stable SARIF rule id, with its metadata and help page', () => {
    const log = sarifLog(lint({ cwd: fixture('violations') }), '/repo') as {
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string; helpUri: string }> } };
        results: Array<{ ruleId: string; ruleIndex: number }>;
      }>;
    };
    const [run] = log.runs;
    const results = run!.results.filter((r) => r.ruleId === 'telemetry-as-authority');
    expect(results).toHaveLength(4);
    for (const r of results) expect(run!.tool.driver.rules[r.ruleIndex]?.id).toBe('telemetry-as-authority');
    expect(run!.tool.driver.rules[RULE_NAMES.indexOf('telemetry-as-authority')]?.helpUri).toBe(
      'https://stateproof.dev/docs/rules/telemetry-as-authority.md',
    );
  });
});
