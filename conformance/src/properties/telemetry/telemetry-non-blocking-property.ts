import fc from 'fast-check';
import { AppendGate } from '../../environment/append-gate.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { expectAccounted } from './emit-accounting.js';
import { byStream, defineTelemetryLog, readStream, tick, TELEMETRY_STREAMS, waitUntil } from './telemetry-surface.js';

/** How the backend misbehaves while the entries are emitted. */
type Outage =
  | { readonly mode: 'blocked' }
  | { readonly mode: 'absent' }
  | { readonly mode: 'refusing' }
  | { readonly mode: 'slow'; readonly ms: number };

const outageArb: fc.Arbitrary<Outage> = fc.oneof(
  fc.constant({ mode: 'blocked' as const }),
  fc.constant({ mode: 'absent' as const }),
  fc.constant({ mode: 'refusing' as const }),
  fc.record({ mode: fc.constant('slow' as const), ms: fc.integer({ min: 2, max: 15 }) }),
);

/** True for anything a caller could `await` and so would be tempted to: a promise or any thenable. */
function thenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Longest the buffer may take to retry its way through a short outage once the backend is back (its pause caps at 1 s). */
const RECOVERY_MS = 5000;

/**
 * Emitting never waits for the backend (TEL-002): with the backend blocked, absent (refusing as
 * unreachable) or slow, `emit` returns undefined synchronously, throws nothing, and no append reaches
 * the backend while it runs. Once the backend is back everything emitted is delivered in order
 * (TEL-004); after an absence the buffer must get there by retrying on its own, before any `flush`
 * (TEL-003: transient refusals stay buffered and are tried again). A backend that refuses for good
 * gets every entry dropped, each counted, and nothing reaches the caller.
 */
export const telemetryNonBlockingProperty: PropertySpec = {
  name: 'log/telemetry-non-blocking',
  kind: 'log',
  classes: ['telemetry'],
  family: 'non-blocking-append',
  requirements: ['TEL-002', 'TEL-003', 'TEL-004'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      outageArb,
      fc.array(fc.record({ stream: fc.constantFrom(...TELEMETRY_STREAMS), pause: fc.boolean() }), {
        minLength: 1,
        maxLength: 20,
      }),
      async (outage, steps) => {
        const gate = new AppendGate();
        const fixture = await env.fixtures.open((registry) => [defineTelemetryLog(registry, env.cls)], {
          appendGate: gate,
        });
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          if (outage.mode === 'blocked') gate.block();
          else if (outage.mode === 'absent') gate.fail();
          else if (outage.mode === 'refusing') gate.refuse();
          else gate.slow(outage.ms);
          for (const [i, s] of steps.entries()) {
            const before = gate.started;
            let returned: unknown;
            let thrown: unknown;
            try {
              returned = (h.emit as (stream: string, value: number) => unknown)(s.stream, i);
            } catch (error) {
              thrown = error;
            }
            const reached = gate.started - before;
            // A promise handed back would reject unobserved on an absent backend; observe it first.
            if (thenable(returned)) Promise.resolve(returned).catch(() => undefined);
            expectModel(
              thrown === undefined,
              ['TEL-002'],
              () => `emit #${i + 1} on a ${outage.mode} backend threw: ${(thrown as Error)?.message ?? show(thrown)}`,
            );
            expectModel(
              !thenable(returned),
              ['TEL-002'],
              () => `emit #${i + 1} on a ${outage.mode} backend returned a thenable: a caller would await the backend`,
            );
            expectModel(
              returned === undefined,
              ['TEL-002'],
              () => `emit #${i + 1} returned ${show(returned)} instead of nothing`,
            );
            expectModel(
              reached === 0,
              ['TEL-002'],
              () => `${reached} append(s) reached the ${outage.mode} backend during the emit #${i + 1} call itself`,
            );
            expectAccounted(h.stats(), i + 1, `after emit #${i + 1} on a ${outage.mode} backend`);
            if (s.pause) await tick(1);
          }
          const n = steps.length;
          if (outage.mode === 'refusing') {
            // Refused for good: dropped and counted, never retried, never the caller's problem.
            const settled = await waitUntil(() => h.stats().pending === 0, RECOVERY_MS);
            expectModel(
              settled && show(h.stats()) === show({ appended: 0, dropped: n, pending: 0 }),
              ['TEL-003'],
              () =>
                `${n} emits a backend refused for good must all be dropped and counted; stats() is ${show(h.stats())}`,
            );
            gate.open();
            await h.flush();
            for (const stream of TELEMETRY_STREAMS) {
              const got = await readStream(h, stream);
              expectModel(
                got.length === 0,
                ['TEL-003'],
                () => `stream "${stream}" holds ${show(got)} although the backend refused every append`,
              );
            }
            return;
          }
          if (outage.mode !== 'slow') {
            // Let the drain meet the outage (and an absent backend refuse it a few times).
            await tick(outage.mode === 'absent' ? 40 : 5);
            expectModel(
              show(h.stats()) === show({ appended: 0, dropped: 0, pending: n }),
              ['TEL-003'],
              () =>
                `with the backend ${outage.mode}, ${n} emits that fit the buffer must all stay pending; stats() is ${show(h.stats())}`,
            );
          }
          gate.open();
          if (outage.mode === 'absent') {
            // Retried on its own once the backend is back: no flush asked for the delivery.
            const delivered = await waitUntil(() => h.stats().pending === 0, RECOVERY_MS);
            expectModel(
              delivered && h.stats().appended === n,
              ['TEL-003'],
              () =>
                `${RECOVERY_MS} ms after the backend came back, the entries it refused were not retried: stats() is ${show(h.stats())}`,
            );
          }
          await h.flush();
          expectModel(
            show(h.stats()) === show({ appended: n, dropped: 0, pending: 0 }),
            ['TEL-003'],
            () => `after a ${outage.mode} backend came back and flush, stats() is ${show(h.stats())} for ${n} emits`,
          );
          for (const [stream, want] of byStream(steps.map((s, value) => ({ stream: s.stream, value })))) {
            const got = await readStream(h, stream);
            expectModel(
              show(got) === show(want),
              ['TEL-004'],
              () =>
                `after a ${outage.mode} backend came back stream "${stream}" holds ${show(got)}; emitted: ${show(want)}`,
            );
          }
        } finally {
          // A runtime closes by flushing, which would wait for ever on a blocked gate.
          gate.open();
          await fixture.close();
        }
      },
    ),
};
