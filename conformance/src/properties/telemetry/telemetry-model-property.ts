import fc from 'fast-check';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { expectAccounted } from './emit-accounting.js';
import { expectRefusedDefinitions } from './telemetry-definition-checks.js';
import { byStream, defineTelemetryLog, readStream, tick, TELEMETRY_STREAMS } from './telemetry-surface.js';

/** One step: emit to a stream, sometimes then letting the background drain run (so counts are seen mid-flight). */
const stepArb = fc.record({
  stream: fc.constantFrom(...TELEMETRY_STREAMS),
  pause: fc.boolean(),
});

/**
 * The telemetry model (TEL-004, TEL-003, TEL-001, TEL-005): random emits over a few streams on a
 * reachable backend with room in the buffer; after `flush` the backend holds exactly what was
 * emitted, per stream in emit order, and `stats()` accounts for every entry at every step. Also the
 * definitions the class forbids (telemetry as a claim, queue, dataspace or projection source, or
 * unbounded) are refused with their codes.
 */
export const telemetryModelProperty: PropertySpec = {
  name: 'log/telemetry-model',
  kind: 'log',
  classes: ['telemetry'],
  family: 'model',
  requirements: ['TEL-004', 'TEL-003', 'TEL-001', 'TEL-005'],
  weight: 0.4,
  property: (env) =>
    fc.asyncProperty(fc.array(stepArb, { maxLength: 40 }), async (steps) => {
      await expectRefusedDefinitions();
      const fixture = await env.fixtures.open((registry) => [defineTelemetryLog(registry, env.cls)]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const emitted = steps.map((s, value) => ({ stream: s.stream, value }));
        for (const [i, s] of steps.entries()) {
          h.emit(s.stream, i);
          expectAccounted(h.stats(), i + 1, `after emit #${i + 1}`);
          if (s.pause) {
            await tick();
            expectAccounted(h.stats(), i + 1, `a moment after emit #${i + 1}`);
          }
          // The backend is up and the buffer (10 000) never fills here: nothing may be dropped (TEL-003).
          expectModel(
            h.stats().dropped === 0,
            ['TEL-003'],
            () => `an entry was dropped with room in the buffer and the backend up: ${show(h.stats())}`,
          );
        }
        await h.flush();
        expectModel(
          show(h.stats()) === show({ appended: steps.length, dropped: 0, pending: 0 }),
          ['TEL-003'],
          () => `after flushing ${steps.length} emits stats() is ${show(h.stats())}`,
        );
        for (const [stream, want] of byStream(emitted)) {
          const got = await readStream(h, stream);
          expectModel(
            show(got) === show(want),
            ['TEL-004'],
            () => `stream "${stream}" holds ${show(got)} after flush; emitted in this order: ${show(want)}`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
