import fc from 'fast-check';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineLog } from './log-surface.js';

/**
 * `emit` returns at once and never throws for backend trouble: entries go to a bounded buffer, and
 * every entry that could not be written is counted as dropped.
 */
export const logEmitProperty: PropertySpec = {
  name: 'log/emit',
  kind: 'log',
  requirements: ['LOG-020', 'LOG-021'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), async (ok, lost) => {
      const fixture = await env.fixtures.open((registry) => [defineLog(registry, env.cls, 'conformance.emit', {})]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        for (let i = 0; i < ok; i++)
          expectModel(h.emit('s', i) === undefined, ['LOG-020'], () => 'emit returned something to wait for');
        await h.flush();
        expectModel(
          show(h.stats()) === show({ appended: ok, dropped: 0, pending: 0 }),
          ['LOG-020'],
          () => `after flushing ${ok} emits the counts are ${show(h.stats())}`,
        );
        expectModel((await h.info('s')).last === ok, ['LOG-020'], () => `${ok} emitted entries were not all appended`);
        await fixture.adapter.close(); // the backend goes away under the runtime
        const t0 = performance.now();
        for (let i = 0; i < lost; i++) h.emit('s', i);
        expectModel(performance.now() - t0 < 1000, ['LOG-020'], () => 'emit blocked while the backend was gone');
        await h.flush();
        expectModel(
          show(h.stats()) === show({ appended: ok, dropped: lost, pending: 0 }),
          ['LOG-020', 'LOG-021'],
          () => `after ${lost} emits into a closed backend the counts are ${show(h.stats())}`,
        );
      } finally {
        await fixture.close();
      }
    }),
};
