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

it('certifies every class it claims: ephemeral and restart-safe-local for each durable kind', () => {
  expect(report).toBeDefined();
  expect(report!.certificate.classes.map((c) => `${c.kind}:${c.class}:${c.verdict}`).sort()).toEqual(
    [
      'channel:ephemeral',
      'claim:ephemeral',
      'claim:restart-safe-local',
      'dataspace:ephemeral',
      'dataspace:restart-safe-local',
      'log:ephemeral',
      'log:restart-safe-local',
      'queue:ephemeral',
      'queue:restart-safe-local',
      'record:ephemeral',
      'record:restart-safe-local',
    ].map((c) => `${c}:pass`),
  );
});
