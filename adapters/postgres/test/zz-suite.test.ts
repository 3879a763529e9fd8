import { it } from 'vitest';
import { runConformance } from '@stateproof/conformance';
import { postgresTarget } from '../../../packages/cli/src/targets/postgres-target.js';
import { PG_URL } from './pg-test-server.js';

it('suite', async () => {
  const kinds = (process.env['KINDS'] ?? 'record,log,claim,queue,dataspace,channel').split(',') as never;
  const report = await runConformance({
    target: postgresTarget({ url: PG_URL, injectClock: process.env['INJECT'] === '1' }),
    kinds,
    runs: Number(process.env['RUNS'] ?? 5),
    seed: Number(process.env['SEED'] ?? 1),
    ...(process.env['PROP'] ? { property: process.env['PROP'] } : {}),
    onProgress: (e) => {
      if (e.type === 'property-done') console.log(`${e.outcome.status.padEnd(4)} ${e.outcome.name} [${e.outcome.cls}] ${Math.round(e.outcome.durationMs)}ms ${e.outcome.status === 'fail' ? `\n   ${e.outcome.reason}\n   ${e.outcome.counterexample?.slice(0, 1500)}` : e.outcome.status === 'skip' ? e.outcome.reason : ''}`);
    },
  });
  console.log('VERDICT', report.verdict, Math.round(report.certificate.run.durationMs), 'ms');
  for (const r of report.requirements) if (r.status !== 'pass') console.log('REQ', r.id, r.status, r.reason?.slice(0, 200));
}, 1_800_000);
