import fc from 'fast-check';
import type { Runtime } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import {
  appendSource,
  defineProjection,
  defineSource,
  foldUpTo,
  projectorOf,
  readProjection,
  sourceApplies,
  type ProjectionKind,
  type ProjectionSurfaces,
} from './projection-surface.js';

/** The retention of the trimmed source: small, so that a few appends trim its first entries. */
const TRIMMED_KEEPS = 3;

/**
 * After incremental catch-ups in random batches, `rebuild` (in a batch size of its own) clears the
 * projection and replays the source from its first entry, ending equal to the incremental
 * projection (PRJ-005): a rebuild that skipped, doubled or kept an entry shows in the fold. When
 * the adapter claims log retention, a source whose first entries were trimmed cannot be replayed:
 * `rebuild` fails with STATEPROOF_LOG_TRIMMED and leaves the projection and its cursor as they were.
 */
export function projectionRebuildProperty(kind: ProjectionKind): PropertySpec {
  return {
    name: `${kind}/projection-rebuild`,
    kind,
    requirements: ['PRJ-005'],
    classes: ['derived-projection'],
    family: 'rebuild-from-source',
    weight: 0.3,
    applies: sourceApplies,
    property: (env) =>
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        // Appends between catch-ups: the incremental projection is built in several runs.
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        async (batch, rebuildBatch, rounds) => {
          const trims = env.capabilities.kinds.log?.features['retention'] === true;
          const fixture = await env.fixtures.open((registry) => {
            const source = defineSource(registry, env);
            const surfaces = [source, defineProjection(registry, env, kind, source)] as const;
            if (!trims) return surfaces;
            const bounded = defineSource(registry, env, 'prj.trimmed', { maxEntries: TRIMMED_KEEPS });
            return [
              ...surfaces,
              bounded,
              defineProjection(registry, env, kind, bounded, `prj.${kind}-of-trimmed`),
            ] as const;
          });
          try {
            const [source, projection, bounded, ofBounded] = fixture.surfaces;
            const surfaces: ProjectionSurfaces = [source, projection];
            const seqs: number[] = [];
            const incremental = projectorOf(fixture.rt, surfaces, batch);
            for (const count of rounds) {
              seqs.push(...(await appendSource(fixture.rt, source, count)));
              await incremental.catchUp();
            }
            const head = seqs.at(-1) ?? 0;
            const before = await readProjection(fixture.rt, surfaces);
            const progress = await projectorOf(fixture.rt, surfaces, rebuildBatch).rebuild();
            const after = await readProjection(fixture.rt, surfaces);
            expectModel(
              show(after) === show(before) && progress.cursor === head && progress.applied === head,
              ['PRJ-005'],
              () =>
                `rebuild (batch ${rebuildBatch}) of ${head} source entries reported ${show(progress)} and reads ${show(after)}; the incremental projection (batch ${batch}) read ${show(before)}, the fold is ${show(foldUpTo(kind, seqs, head))}`,
            );
            if (bounded && ofBounded) await expectTrimmedRefusal(fixture.rt, kind, [bounded, ofBounded], batch);
          } finally {
            await fixture.close();
          }
        },
      ),
  };
}

/**
 * A source whose first entries retention trimmed: the projection caught up before the trim, the
 * source grew past its bound, and `rebuild` must refuse with STATEPROOF_LOG_TRIMMED before it
 * clears anything (PRJ-005).
 */
async function expectTrimmedRefusal(
  rt: Runtime,
  kind: ProjectionKind,
  surfaces: ProjectionSurfaces,
  batch: number,
): Promise<void> {
  const [source] = surfaces;
  const projector = projectorOf(rt, surfaces, batch);
  const seqs = await appendSource(rt, source, TRIMMED_KEEPS);
  await projector.catchUp();
  // Past the bound: the first entries go (on append, or at the latest for reads, as LOG-008 says).
  seqs.push(...(await appendSource(rt, source, 2)));
  const { first } = await rt.use(source).info('src');
  expectModel(
    first !== null && first > 1,
    ['PRJ-005'],
    () => `the source retains ${TRIMMED_KEEPS} entries, but after ${seqs.length} appends its first is ${first}`,
  );
  const before = { state: await readProjection(rt, surfaces), lag: await projector.lag() };
  const o = await outcome(() => projector.rebuild());
  const after = { state: await readProjection(rt, surfaces), lag: await projector.lag() };
  expectModel(
    !o.ok && o.code === 'STATEPROOF_LOG_TRIMMED',
    ['PRJ-005'],
    () =>
      `rebuild of a ${kind} projection whose source was trimmed to ${first}.. ${o.ok ? `succeeded with ${show(o.value)}` : `failed with ${o.code}`}; STATEPROOF_LOG_TRIMMED was expected`,
  );
  expectModel(
    show(after) === show(before),
    ['PRJ-005'],
    () => `a refused rebuild changed the projection: it read ${show(before)} and now reads ${show(after)}`,
  );
}

/** projection-rebuild for record projections. */
export const recordProjectionRebuildProperty: PropertySpec = projectionRebuildProperty('record');

/** projection-rebuild for log projections. */
export const logProjectionRebuildProperty: PropertySpec = projectionRebuildProperty('log');
