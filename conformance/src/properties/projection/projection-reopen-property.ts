import fc from 'fast-check';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import {
  appendSource,
  defineBoth,
  foldUpTo,
  projectorOf,
  readProjection,
  sourceApplies,
  type ProjectionKind,
} from './projection-surface.js';

/** One life of the projector's process: appends it catches up with, appends it leaves behind, then a restart. */
interface Life {
  readonly before: number;
  readonly catchUp: boolean;
  readonly after: number;
}

const lifeArb: fc.Arbitrary<Life> = fc.record({
  before: fc.integer({ min: 0, max: 7 }),
  catchUp: fc.boolean(),
  after: fc.integer({ min: 0, max: 4 }),
});

/**
 * Across clean restarts of the projector's process, the projection is the fold of the source up
 * to the committed cursor (PRJ-004), or, on an adapter that hosts projections only as rebuildable,
 * empty with a cursor of 0 (PRJ-007); nothing else. The restarted projector goes on with the entry
 * after the cursor: its catch-up applies exactly the entries past it and ends at the fold of the
 * whole source, which a replayed or skipped entry would change.
 */
export function projectionReopenProperty(kind: ProjectionKind): PropertySpec {
  return {
    name: `${kind}/projection-reopen`,
    kind,
    requirements: ['PRJ-004', 'PRJ-007'],
    classes: ['derived-projection'],
    // The name does not end in `/reopen`, so the family is named: this decides the class's reopen check.
    family: 'reopen',
    weight: 0.3,
    applies: sourceApplies,
    property: (env) =>
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(lifeArb, { minLength: 1, maxLength: 2 }),
        async (batch, lives) => {
          const fixture = await env.fixtures.open((registry) => defineBoth(registry, env, kind));
          try {
            const [source] = fixture.surfaces;
            let rt = fixture.rt;
            const seqs: number[] = [];
            let committed = 0;
            for (const life of lives) {
              seqs.push(...(await appendSource(rt, source, life.before)));
              if (life.catchUp) committed = (await projectorOf(rt, fixture.surfaces, batch).catchUp()).cursor;
              seqs.push(...(await appendSource(rt, source, life.after)));
              rt = await fixture.restart();
              const { cursor } = await projectorOf(rt, fixture.surfaces, batch).lag();
              // Kept (PRJ-004), or started over empty for a rebuild (PRJ-007): never anywhere else.
              expectModel(
                cursor === committed || cursor === 0,
                ['PRJ-004', 'PRJ-007'],
                () => `after a restart the projection's cursor is ${cursor}; ${committed} was committed before it`,
              );
              const got = await readProjection(rt, fixture.surfaces);
              const want = foldUpTo(kind, seqs, cursor);
              expectModel(
                show(got) === show(want),
                cursor === 0 && committed > 0 ? ['PRJ-007'] : ['PRJ-004'],
                () =>
                  `after a restart at cursor ${cursor} (committed ${committed}) the projection reads ${show(got)}; the fold of the source up to the cursor is ${show(want)}`,
              );
              committed = cursor;
            }
            const head = seqs.at(-1) ?? 0;
            const progress = await projectorOf(rt, fixture.surfaces, batch).catchUp();
            expectModel(
              progress.applied === head - committed && progress.cursor === head,
              ['PRJ-004'],
              () =>
                `the restarted projector's catchUp from cursor ${committed} to head ${head} reported ${show(progress)}; it should apply the ${head - committed} entries after the cursor`,
            );
            const got = await readProjection(rt, fixture.surfaces);
            const want = foldUpTo(kind, seqs, head);
            expectModel(
              show(got) === show(want),
              ['PRJ-004'],
              () =>
                `after a restart and a catchUp from cursor ${committed} the projection reads ${show(got)}; the fold of the whole source is ${show(want)}`,
            );
          } finally {
            await fixture.close();
          }
        },
      ),
  };
}

/** projection-reopen for record projections. */
export const recordProjectionReopenProperty: PropertySpec = projectionReopenProperty('record');

/** projection-reopen for log projections. */
export const logProjectionReopenProperty: PropertySpec = projectionReopenProperty('log');
