import { afterAll, expect, it } from 'vitest';
import type { ConformanceReport } from '@stateproof/conformance';
import { describeConformance } from '@stateproof/conformance/vitest';
import { sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// The SQLite adapter through its own kit and the vitest entry an adapter author uses: one test per
// requirement. SP_RUNS, SP_SEED and SP_PROPERTY narrow a run while debugging.
const long = process.env['STATEPROOF_LONG'] === '1';
const target = sqliteTarget();
afterAll(() => target.cleanup());

let report: ConformanceReport | undefined;
describeConformance(target, {
  runs: long ? 100 : Number(process.env['SP_RUNS'] ?? 5),
  seed: Number(process.env['SP_SEED'] ?? 4242),
  ...(process.env['SP_PROPERTY'] ? { property: process.env['SP_PROPERTY'] } : {}),
  timeoutMs: long ? 3_600_000 : 600_000,
  onReport: (r) => void (report = r),
});

it('certifies ephemeral; restart-safe-local stays partial until a crash run (conform alone kills no process)', () => {
  expect(report).toBeDefined();
  if (process.env['SP_PROPERTY']) return; // a narrowed run is partial by design
  expect(
    report!.certificate.classes.map((c) => `${c.kind}:${c.class}:${c.verdict}:${c.missing.join(',')}`).sort(),
  ).toEqual([
    'channel:ephemeral:certified:',
    'claim:ephemeral:certified:',
    'claim:restart-safe-local:partial:process-crash',
    'dataspace:ephemeral:certified:',
    'dataspace:restart-safe-local:partial:process-crash',
    // The classes of spec/contract/classes.md: derived-projection owes only its crash run; telemetry, its properties.
    'log:derived-projection:partial:process-crash',
    'log:ephemeral:certified:',
    'log:restart-safe-local:partial:process-crash',
    'log:telemetry:certified:', // its checks are decided by the log/telemetry-* properties
    'queue:ephemeral:certified:',
    'queue:restart-safe-local:partial:process-crash',
    'record:derived-projection:partial:process-crash',
    'record:ephemeral:certified:',
    'record:restart-safe-local:partial:process-crash',
  ]);
  expect(report!.certificate.verdict).toBe('partial');
});
