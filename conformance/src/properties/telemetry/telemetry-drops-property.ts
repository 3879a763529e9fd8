import fc from 'fast-check';
import { AppendGate } from '../../environment/append-gate.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { expectAccounted } from './emit-accounting.js';
import { EmitBufferModel } from './emit-buffer-model.js';
import { byStream, defineTelemetryLog, readStream, tick, TELEMETRY_STREAMS, waitUntil } from './telemetry-surface.js';

/** How long the first entry may take to reach the blocked backend (it only has to leave the buffer). */
const IN_FLIGHT_MS = 5000;

/**
 * Drops follow the declared policy and are all counted (TEL-003, TEL-004). A small buffer and a
 * policy, the backend blocked, more emits than fit: after each emit `stats()` says exactly how many
 * were dropped and how many are pending, as the reference model of the policy does, and the counts
 * add up to what was emitted. Once the backend takes appends again and `flush` ends, it holds exactly
 * the entries the policy kept, per stream in emit order. Either every entry is emitted before the
 * buffer starts draining, or one entry is on its way to the (blocked) backend first: the case where
 * `oldest` cannot drop what is in flight.
 */
export const telemetryDropsProperty: PropertySpec = {
  name: 'log/telemetry-drops',
  kind: 'log',
  classes: ['telemetry'],
  family: 'drops-counted',
  requirements: ['TEL-003', 'TEL-004'],
  weight: 0.4,
  property: (env) =>
    fc.asyncProperty(
      // More emits than the buffer holds: the drops are the point.
      fc.integer({ min: 1, max: 8 }).chain((buffer) =>
        fc.record({
          buffer: fc.constant(buffer),
          streams: fc.array(fc.constantFrom(...TELEMETRY_STREAMS), { minLength: buffer + 1, maxLength: buffer + 12 }),
        }),
      ),
      fc.constantFrom('newest' as const, 'oldest' as const),
      fc.boolean(),
      async ({ buffer, streams }, drop, oneInFlight) => {
        const gate = new AppendGate();
        const fixture = await env.fixtures.open(
          (registry) => [defineTelemetryLog(registry, env.cls, { buffer, drop })],
          { appendGate: gate },
        );
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          gate.block();
          const model = new EmitBufferModel(buffer, drop);
          const emitted = streams.map((stream, value) => ({ stream, value }));
          let i = 0;
          const emitNext = () => {
            const e = emitted[i++] as { stream: string; value: number };
            h.emit(e.stream, e.value);
            model.push(e);
            const stats = h.stats();
            expectAccounted(stats, i, `after emit #${i} (buffer ${buffer}, drop ${drop})`);
            expectModel(
              stats.dropped === model.dropped && stats.pending === model.pending,
              ['TEL-003'],
              () =>
                `after emit #${i} into a full buffer of ${buffer} (drop ${drop}, backend blocked) stats() is ${show(stats)}; ` +
                `the policy has dropped ${model.dropped}, pending ${model.pending}`,
            );
          };
          if (oneInFlight) {
            emitNext();
            // The first entry leaves the buffer and waits at the blocked backend: it cannot be recalled.
            const sent = await waitUntil(() => gate.started >= 1, IN_FLIGHT_MS);
            expectModel(
              sent,
              ['TEL-003'],
              () => `the first emitted entry never reached the backend within ${IN_FLIGHT_MS} ms`,
            );
            model.send(1);
          }
          // The rest in one synchronous burst, so that the drain cannot move between them.
          while (i < emitted.length) emitNext();
          await tick(5);
          expectAccounted(h.stats(), emitted.length, `a moment after the last emit (backend blocked)`);
          expectModel(
            h.stats().dropped === model.dropped,
            ['TEL-003'],
            () =>
              `with the backend blocked the drops changed after the emits: stats() is ${show(h.stats())}, the policy dropped ${model.dropped}`,
          );
          gate.open();
          await h.flush();
          const kept = model.kept();
          expectModel(
            show(h.stats()) === show({ appended: kept.length, dropped: emitted.length - kept.length, pending: 0 }),
            ['TEL-003'],
            () =>
              `after the backend came back and flush stats() is ${show(h.stats())}; the ${drop} policy keeps ${kept.length} of ${emitted.length}`,
          );
          for (const [stream, want] of byStream(kept)) {
            const got = await readStream(h, stream);
            expectModel(
              show(got) === show(want),
              ['TEL-003', 'TEL-004'],
              () =>
                `stream "${stream}" holds ${show(got)}; with buffer ${buffer}, drop ${drop}${oneInFlight ? ' and the first entry in flight' : ''} ` +
                `the policy keeps ${show(want)} of ${show(emitted)}`,
            );
          }
        } finally {
          gate.open();
          await fixture.close();
        }
      },
    ),
};
