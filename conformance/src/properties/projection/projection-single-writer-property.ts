import fc from 'fast-check';
import {
  bindingOf,
  type LogStore,
  type LogSurface,
  type RecordStore,
  type RecordSurface,
  type Runtime,
} from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { Fixture } from '../../environment/fixture.js';
import {
  appendSource,
  defineBoth,
  foldUpTo,
  PROJECTED_STREAM,
  projectorOf,
  readProjection,
  sourceApplies,
  type FoldedCount,
  type ProjectedSeq,
  type ProjectionKind,
  type ProjectionSurfaces,
} from './projection-surface.js';

/**
 * Only the projector writes a projection, and two projectors never apply an entry twice:
 * - every write through the projection's own handle fails with STATEPROOF_PROJECTION_WRITE and
 *   changes nothing (PRJ-002);
 * - a commit straight to the store from a cursor other than the committed one fails with
 *   STATEPROOF_PROJECTION_CONFLICT and applies nothing, its writes nor its cursor (PRJ-003);
 * - two projectors of the projection, on two runtimes over two adapter instances, catching up at
 *   once while the source grows, apply every entry exactly once between them (PRJ-003).
 */
export function projectionSingleWriterProperty(kind: ProjectionKind): PropertySpec {
  return {
    name: `${kind}/projection-single-writer`,
    kind,
    requirements: ['PRJ-002', 'PRJ-003'],
    classes: ['derived-projection'],
    family: 'single-writer',
    weight: 0.3,
    applies: sourceApplies,
    property: (env) =>
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        // The stale cursor's distance from the committed one: behind (a projector that lost a race) or ahead.
        fc.constantFrom(-2, -1, 1, 3),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
        async (initial, offset, batchA, batchB, more) => {
          const fixture = await env.fixtures.open((registry) => defineBoth(registry, env, kind));
          try {
            const surfaces = fixture.surfaces;
            const [source] = surfaces;
            const seqs = await appendSource(fixture.rt, source, initial);
            const a = projectorOf(fixture.rt, surfaces, batchA);
            const committed = (await a.catchUp()).cursor;
            const state = { projection: await readProjection(fixture.rt, surfaces), cursor: committed };
            const observe = async () => ({
              projection: await readProjection(fixture.rt, surfaces),
              cursor: (await a.lag()).cursor,
            });

            for (const [what, write] of handleWrites(fixture.rt, surfaces)) {
              const o = await outcome(write);
              expectModel(
                !o.ok && o.code === 'STATEPROOF_PROJECTION_WRITE',
                ['PRJ-002'],
                () =>
                  `${what} on the ${kind} projection through its handle ${o.ok ? 'succeeded' : `failed with ${o.code}`}; STATEPROOF_PROJECTION_WRITE was expected`,
              );
            }
            const afterHandles = await observe();
            expectModel(
              show(afterHandles) === show(state),
              ['PRJ-002'],
              () => `refused handle writes changed the projection from ${show(state)} to ${show(afterHandles)}`,
            );

            // committed >= 1 (initial >= 1), so the clamp at 0 still differs from it.
            const from = Math.max(0, committed + offset);
            const o = await outcome(() => staleCommit(fixture, surfaces, from, committed + 5));
            expectModel(
              !o.ok && o.code === 'STATEPROOF_PROJECTION_CONFLICT',
              ['PRJ-003'],
              () =>
                `applyProjection from ${from} with the committed cursor at ${committed} ${o.ok ? 'succeeded' : `failed with ${o.code}`}; STATEPROOF_PROJECTION_CONFLICT was expected`,
            );
            const afterStale = await observe();
            expectModel(
              show(afterStale) === show(state),
              ['PRJ-003'],
              () => `a refused stale commit changed the projection from ${show(state)} to ${show(afterStale)}`,
            );

            // Two replicas: each catches up while the source grows; conflicts make them take turns.
            const b = projectorOf(await fixture.peer(), surfaces, batchB);
            let applied = 0;
            for (const count of more) {
              const [, ra, rb] = await Promise.all([
                appendSource(fixture.rt, source, count).then((s) => seqs.push(...s)),
                a.catchUp(),
                b.catchUp(),
              ]);
              applied += ra.applied + rb.applied;
            }
            applied += (await a.catchUp()).applied;
            const head = seqs.at(-1) ?? 0;
            const got = await readProjection(fixture.rt, surfaces);
            const want = foldUpTo(kind, seqs, head);
            expectModel(
              show(got) === show(want) && applied === head - committed,
              ['PRJ-003'],
              () =>
                `two projectors (batches ${batchA} and ${batchB}) catching up at once from ${committed} to ${head} applied ${applied} entries between them and the projection reads ${show(got)}; every entry once is ${head - committed} and ${show(want)}`,
            );
          } finally {
            await fixture.close();
          }
        },
      ),
  };
}

/** Every write the projection's own handle has, each meant to change it visibly were it let through. */
function handleWrites(rt: Runtime, [, projection]: ProjectionSurfaces): Array<[string, () => Promise<unknown>]> {
  if (projection.kind === 'record') {
    const h = rt.use(projection as RecordSurface<FoldedCount>);
    const value = { count: 1000, sum: 0 };
    return [
      ['put', () => h.put('k0', value)],
      ['put ifAbsent', () => h.put('new', value, { ifAbsent: true })],
      ['delete', () => h.delete('k1')],
    ];
  }
  const h = rt.use(projection as LogSurface<ProjectedSeq>);
  return [
    ['append', () => h.append(PROJECTED_STREAM, { seq: 1000 })],
    ['appendBatch', () => h.appendBatch(PROJECTED_STREAM, [{ seq: 1000 }, { seq: 1001 }])],
    // emit throws at once, not later from its buffer: a refused emit is the caller's error.
    ['emit', async () => h.emit(PROJECTED_STREAM, { seq: 1000 })],
  ];
}

/**
 * A commit straight to the projection's store, bypassing the projector, from cursor `from`; its
 * writes reuse a stored value under a new key (record) or as an extra entry (log), so that
 * applying them would show.
 */
async function staleCommit(
  fixture: Fixture<ProjectionSurfaces>,
  [, projection]: ProjectionSurfaces,
  from: number,
  to: number,
): Promise<void> {
  if (projection.kind === 'record') {
    const store: RecordStore = await fixture.adapter.openRecord!(bindingOf(projection, fixture.rt.scope));
    const stored = await store.get('k1');
    const value = stored?.value ?? (await store.get('k0'))?.value;
    if (value === undefined) throw new Error('internal: the record projection holds nothing to copy');
    await store.applyProjection!([{ key: 'stale', value }], { from, to });
    return;
  }
  const store: LogStore = await fixture.adapter.openLog!(bindingOf(projection, fixture.rt.scope));
  const [entry] = await store.read(PROJECTED_STREAM, { after: 0, limit: 1 });
  if (!entry) throw new Error('internal: the log projection holds nothing to copy');
  await store.applyProjection!([{ stream: PROJECTED_STREAM, value: entry.value }], { from, to });
}

/** projection-single-writer for record projections. */
export const recordProjectionSingleWriterProperty: PropertySpec = projectionSingleWriterProperty('record');

/** projection-single-writer for log projections. */
export const logProjectionSingleWriterProperty: PropertySpec = projectionSingleWriterProperty('log');
