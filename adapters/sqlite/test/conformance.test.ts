import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '@stateproof/conformance';
import { sqliteTarget } from '../../../packages/cli/src/targets/sqlite-target.js';

const long = process.env['STATEPROOF_LONG'] === '1';
const target = sqliteTarget();
afterAll(() => target.cleanup());

describe('the SQLite adapter passes the conformance suite', () => {
  it(
    'for every class it claims (ephemeral and restart-safe-local)',
    async () => {
      const report = await runConformance({ target, runs: long ? 100 : Number(process.env['SP_RUNS'] ?? 5), seed: Number(process.env['SP_SEED'] ?? 4242) , ...(process.env['SP_PROPERTY'] ? { property: process.env['SP_PROPERTY'] } : {}) });
      const failed = report.requirements.filter((r) => r.status === 'fail');
      const failedConcurrency = report.certificate.concurrency.filter((c) => c.status === 'fail');
      if (failed.length > 0 || failedConcurrency.length > 0) console.error(JSON.stringify({ failed, failedConcurrency }, null, 2));
      expect(failed.map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      expect(failedConcurrency).toEqual([]);
      expect(report.verdict).toBe('pass');
    },
    long ? 3_600_000 : 600_000,
  );
});
