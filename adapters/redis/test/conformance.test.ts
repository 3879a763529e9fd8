import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '@stateproof/conformance';
import { describeConformance } from '@stateproof/conformance/vitest';
import { redisTarget, type RedisServer } from '@stateproof/adapter-redis/conformance';
import { durableServer, OWN_SERVER_AVAILABLE } from './redis-test-server.js';

/** Deep runs (STATEPROOF_LONG=1) use the suite's default; the everyday run keeps the repo suite fast. */
const LONG = process.env['STATEPROOF_LONG'] === '1';

/** Every kind. */
const KINDS = ['record', 'log', 'claim', 'queue', 'dataspace', 'channel'] as const;

function summary(report: ConformanceReport): string {
  const count = (s: string) => report.requirements.filter((r) => r.status === s).length;
  const failed = report.requirements
    .filter((r) => r.status === 'fail')
    .map((r) => `  ${r.id}: ${r.reason}\n    replay: ${r.replay?.command ?? '-'}`);
  return [
    `${report.certificate.adapter.name}: ${report.verdict}, ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${Math.round(report.certificate.run.durationMs / 1000)} s (seed ${report.certificate.run.seed}, ${report.certificate.run.runs} runs)`,
    ...(failed.length ? ['failed:', ...failed] : []),
  ].join('\n');
}

// The shared server keeps nothing on disk, so shared-durable is checked on a durable server of the test's own.
const server: RedisServer | undefined = OWN_SERVER_AVAILABLE ? await durableServer() : undefined;
afterAll(() => server?.stop());

describe.skipIf(!server)('conformance of the redis adapter with the server clock (appendfsync always)', () => {
  let report: ConformanceReport | undefined;
  describeConformance(redisTarget({ url: server?.url ?? 'redis://unavailable' }), {
    kinds: [...KINDS],
    ...(LONG ? {} : { runs: 6 }),
    timeoutMs: 900_000,
    onReport: (r) => {
      report = r;
      console.log(summary(r));
    },
  });

  it('passes shared-durable for every kind it implements (ephemeral for channels), partial until the crashes ran', () => {
    const crashes = 'process-crash,backend-crash';
    expect(
      report!.certificate.classes.map((c) => `${c.kind}:${c.class}:${c.verdict}:${c.missing.join(',')}`).sort(),
    ).toEqual(
      [
        ...KINDS.map((k) =>
          k === 'channel' ? 'channel:ephemeral:certified:' : `${k}:shared-durable:partial:${crashes}`,
        ),
        // The classes of spec/contract/classes.md: derived-projection owes only its crash run.
        'log:derived-projection:partial:process-crash',
        'log:telemetry:certified:', // its checks are decided by the log/telemetry-* properties
        'record:derived-projection:partial:process-crash',
      ].sort(),
    );
  });
});

// With an injected clock the exact model-based properties check the scripts too.
describe.skipIf(!server)('conformance of the redis adapter with an injected clock', () => {
  describeConformance(redisTarget({ url: server?.url ?? 'redis://unavailable', injectClock: true }), {
    kinds: [...KINDS],
    ...(LONG ? {} : { runs: 3 }),
    timeoutMs: 900_000,
    onReport: (r) => console.log(summary(r)),
  });
});
