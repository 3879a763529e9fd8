import fc from 'fast-check';
import { AppendGate } from '../../environment/append-gate.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { expectAccounted } from './emit-accounting.js';
import { defineTelemetryLog, readStream, tick, TELEMETRY_STREAMS } from './telemetry-surface.js';

/** A burst of emits to one stream while the backend is blocked, then a pause that lets the drain move. */
const burstArb = fc.record({
  stream: fc.constantFrom(...TELEMETRY_STREAMS),
  count: fc.integer({ min: 0, max: 20 }),
  pauseMs: fc.constantFrom(0, 1, 5),
});

/**
 * Telemetry is bounded twice (TEL-003, TEL-001). In memory: with the backend blocked, bursts of emits
 * never leave more than the declared buffer pending, whatever the policy. In the backend: after more
 * appends than the declared retention (by count), each stream holds no more than that retention,
 * and the entries it holds are the newest ones. Retention is the adapter's (applied as it appends and
 * reads, as for any log; the runtime's maintenance does not trim logs), so it is read back through
 * `info` and `read` after every entry was appended.
 */
export const telemetryBufferBoundProperty: PropertySpec = {
  name: 'log/telemetry-buffer-bound',
  kind: 'log',
  classes: ['telemetry'],
  family: 'bounded-size',
  requirements: ['TEL-003', 'TEL-001'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom('newest' as const, 'oldest' as const),
      fc.integer({ min: 1, max: 6 }),
      fc.array(burstArb, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 10 }),
      async (buffer, drop, maxEntries, bursts, beyond) => {
        const gate = new AppendGate();
        const fixture = await env.fixtures.open(
          (registry) => [defineTelemetryLog(registry, env.cls, { buffer, drop, maxEntries })],
          { appendGate: gate },
        );
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          gate.block();
          let emitted = 0;
          const bounded = (when: string) => {
            const stats = h.stats();
            expectAccounted(stats, emitted, when);
            expectModel(
              stats.pending <= buffer,
              ['TEL-003'],
              () =>
                `${when}: ${stats.pending} entries pending in an emit buffer declared to hold ${buffer} (stats() ${show(stats)})`,
            );
          };
          for (const [b, burst] of bursts.entries()) {
            for (let k = 0; k < burst.count; k++) {
              h.emit(burst.stream, emitted++);
              bounded(`emit #${k + 1} of burst #${b + 1}, backend blocked`);
            }
            await tick(burst.pauseMs);
            bounded(`after burst #${b + 1}, backend blocked`);
          }
          gate.open();
          await h.flush();
          bounded('after the backend came back and flush');
          expectModel(h.stats().pending === 0, ['TEL-003'], () => `flush ended with ${show(h.stats())}`);

          // Retention: more entries than it allows, each taken by the backend (flushed in chunks that fit the buffer).
          const total = maxEntries + beyond;
          const appendedBefore = h.stats().appended;
          for (let k = 0; k < total; k++) {
            h.emit('r', k);
            emitted++;
            if ((k + 1) % buffer === 0 || k === total - 1) await h.flush();
          }
          expectModel(
            h.stats().appended === appendedBefore + total,
            ['TEL-003'],
            () => `${total} emits flushed in chunks that fit the buffer were not all appended: ${show(h.stats())}`,
          );
          for (const stream of [...TELEMETRY_STREAMS, 'r']) {
            const info = await h.info(stream);
            const held = await readStream(h, stream);
            expectModel(
              held.length <= maxEntries && (info.first === null || info.last - info.first + 1 <= maxEntries),
              ['TEL-001'],
              () =>
                `stream "${stream}" of a telemetry log retaining ${maxEntries} entries holds ${held.length} ` +
                `(info ${show(info)}): ${show(held)}`,
            );
          }
          const newest = Array.from({ length: maxEntries }, (_, k) => total - maxEntries + k);
          const heldR = await readStream(h, 'r');
          expectModel(
            show(heldR) === show(newest),
            ['TEL-001'],
            () =>
              `after ${total} appends with retention ${maxEntries}, stream "r" holds ${show(heldR)}; the newest are ${show(newest)}`,
          );
        } finally {
          gate.open();
          await fixture.close();
        }
      },
    ),
};
