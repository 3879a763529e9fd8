import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { dataspace, type DataspaceSurface } from '@stateproof/core';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { filterMatches, type Filter } from '../../models/dataspace-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';

type Change = { op: 'assert' | 'retract'; session: number; id: string; value: number };
const idArb = fc.constantFrom('a:1', 'a:2', 'b:1', 'a*');
const changeArb = fc.record({
  op: fc.constantFrom<'assert' | 'retract'>('assert', 'assert', 'retract'),
  session: fc.integer({ min: 0, max: 1 }),
  id: idArb,
  value: fc.integer({ min: 0, max: 9 }),
});
/** Per non-exact filter, an id that matches it and that no generated change uses. */
const SENTINEL: Record<string, string> = { all: 'zz', a: 'a~', 'a*': 'a*~' };
const filterArb = fc.constantFrom<Filter>(
  { type: 'all' },
  { type: 'prefix', prefix: 'a' },
  { type: 'exact', id: 'a:1' },
  { type: 'prefix', prefix: 'a*' },
);

/**
 * A subscription started while changes happen gets a snapshot at revision R and then exactly the
 * matching changes after R, in revision order: every assert and retract after R once, none before,
 * and snapshot plus stream rebuild the final state. A subscriber with a tiny buffer that falls
 * behind gets a resync and a fresh snapshot instead of a silent loss; a closed subscription ends.
 */
export const dataspaceSubscribeProperty: PropertySpec = {
  name: 'dataspace/subscribe',
  kind: 'dataspace',
  requirements: ['DSP-014', 'DSP-015', 'DSP-016', 'DSP-017', 'DSP-010'],
  features: ['subscribe'],
  property: (env) =>
    fc.asyncProperty(
      filterArb,
      fc.array(changeArb, { maxLength: 6 }),
      fc.array(changeArb, { minLength: 1, maxLength: 8 }),
      fc.array(changeArb, { maxLength: 6 }),
      fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
      fc.boolean(),
      async (filter, before, during, after, bufferSize, closeOne) => {
        const fixture = await env.fixtures.open((registry) => [
          dataspace('conformance.subscribe', {
            durability: env.cls,
            value: Type.Integer(),
            registry,
          }) as DataspaceSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const other = (await fixture.peer()).use(fixture.surfaces[0]);
          const sessions = [
            await h.openSession({ owner: 'a', leaseMs: 3_600_000 }),
            await other.openSession({ owner: 'b', leaseMs: 3_600_000 }),
          ];
          const sentinelSession = await other.openSession({ owner: 'c', leaseMs: 3_600_000 });
          // Every explicit change, with the revision the backend gave it (ownership refusals change nothing).
          const done: Array<{ revision: number; id: string; type: 'asserted' | 'retracted' }> = [];
          const apply = async (changes: Change[]) => {
            for (const c of changes) {
              const s = sessions[c.session]!;
              try {
                if (c.op === 'assert') done.push({ ...(await s.assert(c.id, c.value)), id: c.id, type: 'asserted' });
                else {
                  const r = await s.retract(c.id);
                  if (r) done.push({ ...r, id: c.id, type: 'retracted' });
                }
              } catch (error) {
                if ((error as { code?: string }).code !== 'STATEPROOF_OWNERSHIP') throw error;
              }
            }
          };
          await apply(before);
          // Subscribe while changes run: the snapshot and the stream must meet without a gap or an overlap.
          const [sub] = await Promise.all([
            h.subscribe(filter, bufferSize === undefined ? {} : { bufferSize }),
            apply(during),
          ]);
          await apply(after);
          if (closeOne) {
            const r = await sessions[1]!.close();
            expectModel(r.retracted >= 0, ['DSP-008'], () => 'close failed');
          }
          // A last matching change, so that a lost change is seen as a skipped revision at once rather than by a timeout.
          if (filter.type === 'exact') {
            // The only matching id may be taken: its owner retracts it, or the sentinel session asserts it.
            const owner = (await h.get(filter.id))?.owner;
            const s = owner === 'a' ? sessions[0] : owner === 'b' ? sessions[1] : undefined;
            const r = s ? await s.retract(filter.id) : await sentinelSession.assert(filter.id, 0);
            if (r) done.push({ ...r, id: filter.id, type: s ? 'retracted' : 'asserted' });
          } else {
            const sentinel = SENTINEL[filter.type === 'prefix' ? filter.prefix : filter.type] as string;
            done.push({ ...(await sentinelSession.assert(sentinel, 0)), id: sentinel, type: 'asserted' });
          }
          const final = new Map((await h.list(filter)).assertions.map((a) => [a.id, a.value]));
          const key = (m: Map<string, number>) => show([...m].sort());

          // Read until the stream has reached the final revision.
          let state = new Map<string, number>();
          let lastRevision = -1;
          let snapshotRevision = -1;
          const stream: Array<{ revision: number; id: string; type: string }> = [];
          let resynced = false;
          // Read until snapshot plus stream hold every expected change and rebuild the final state,
          // then once more briefly: nothing else may arrive.
          const caughtUp = () =>
            snapshotRevision >= 0 &&
            key(state) === key(final) &&
            done
              .filter((c) => c.revision > snapshotRevision && filterMatches(filter, c.id))
              .every((c) => stream.some((x) => x.revision === c.revision));
          const reader = new SubscriptionReader(sub);
          for (let guard = 0; guard < 1000; guard++) {
            const settled = caughtUp();
            const e = await reader.read(settled ? 15 : 2000);
            if (settled && e === 'timeout') break;
            expectModel(
              e !== 'timeout' && e !== 'done',
              ['DSP-014'],
              () =>
                `the subscription stalled at revision ${lastRevision} (events so far: ${show(stream)}; state ${key(state)}, dataspace ${key(final)})`,
            );
            if (e.type === 'resync') {
              expectModel(bufferSize !== undefined, ['DSP-016'], () => 'a resync without any lag');
              resynced = true;
              snapshotRevision = -1;
              continue;
            }
            if (e.type === 'snapshot') {
              expectModel(snapshotRevision < 0, ['DSP-014'], () => 'a second snapshot without a resync');
              state = new Map(e.assertions.map((a) => [a.id, a.value]));
              for (const a of e.assertions)
                expectModel(
                  filterMatches(filter, a.id),
                  ['DSP-013'],
                  () => `the snapshot of ${show(filter)} holds ${show(a.id)}`,
                );
              snapshotRevision = e.revision;
              lastRevision = e.revision;
              stream.length = 0;
              continue;
            }
            expectModel(snapshotRevision >= 0, ['DSP-014'], () => `a ${e.type} event came before any snapshot`);
            expectModel(
              e.revision > lastRevision,
              ['DSP-014', 'DSP-015'],
              () => `event at revision ${e.revision} after ${lastRevision}: not in revision order, or a duplicate`,
            );
            const skipped = done.find(
              (c) => c.revision > lastRevision && c.revision < e.revision && filterMatches(filter, c.id),
            );
            expectModel(
              skipped === undefined,
              ['DSP-014'],
              () =>
                `the stream went from revision ${lastRevision} to ${e.revision}, skipping the change at ${skipped?.revision} (${skipped?.type} ${skipped?.id})`,
            );
            const id = e.type === 'asserted' ? e.assertion.id : e.id;
            expectModel(
              filterMatches(filter, id),
              ['DSP-013'],
              () => `a subscriber of ${show(filter)} got a change of ${show(id)}`,
            );
            if (e.type === 'asserted') state.set(id, e.assertion.value);
            else state.delete(id);
            stream.push({ revision: e.revision, id, type: e.type });
            lastRevision = e.revision;
          }
          const expected = done.filter((c) => c.revision > snapshotRevision && filterMatches(filter, c.id));
          for (const c of expected) {
            const n = stream.filter((s) => s.revision === c.revision).length;
            expectModel(
              n === 1,
              ['DSP-014'],
              () =>
                `the change at revision ${c.revision} (${c.type} ${c.id}) after the snapshot at ${snapshotRevision} was delivered ${n} times; stream ${show(stream)}`,
            );
          }
          expectModel(
            key(state) === key(final),
            ['DSP-014', 'DSP-010'],
            () =>
              `snapshot plus stream rebuild ${show([...state])}, but the dataspace holds ${show([...final])}${resynced ? ' (after a resync)' : ''}`,
          );
          expectModel(
            await reader.closeEndsPending(),
            ['DSP-017'],
            () => 'a read pending when the subscription closed did not end',
          );
        } finally {
          await fixture.close();
        }
      },
    ),
};
