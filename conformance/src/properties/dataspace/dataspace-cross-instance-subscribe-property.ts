import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import {
  dataspace,
  type DataspaceHandle,
  type DataspaceSession,
  type DataspaceSurface,
  type DataspaceView,
} from '@stateproof/core';
import { filterMatches, type Filter } from '../../models/dataspace-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { PARKED_MS, WAKE_TIMEOUT_MS } from '../common/parked-reads.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { LONG } from './dataspace-surface.js';

/** A change through one instance: an assert or retract by its session, or closing its session (and opening another). */
interface Change {
  readonly instance: number;
  readonly op: 'assert' | 'retract' | 'close';
  readonly id: string;
  readonly value: number;
}

const FILTERS: readonly Filter[] = [{ type: 'all' }, { type: 'prefix', prefix: 'a' }, { type: 'exact', id: 'a:1' }];

const planArb = fc.integer({ min: 2, max: 3 }).chain((instances) => {
  const change = fc.record({
    instance: fc.nat(instances - 1),
    op: fc.constantFrom<Change['op']>('assert', 'assert', 'assert', 'retract', 'close'),
    id: fc.constantFrom('a:1', 'a:2', 'b:1'),
    value: fc.nat(9),
  });
  return fc.record({
    instances: fc.constant(instances),
    before: fc.array(change, { maxLength: 4 }),
    filters: fc.array(fc.constantFrom(...FILTERS), { minLength: instances, maxLength: instances }),
    rounds: fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
  });
});

/** What a subscriber must see of one change: the event with its revision, or for a close one retraction per id, revisions unknown. */
type Expected =
  | { readonly type: 'asserted'; readonly revision: number; readonly id: string; readonly value: number }
  | { readonly type: 'retracted'; readonly revision: number; readonly id: string }
  | { readonly type: 'closed'; readonly ids: readonly string[] };

/** One subscriber under test. */
interface Subscriber {
  readonly instance: number;
  readonly filter: Filter;
  readonly reader: SubscriptionReader<DataspaceView<unknown>>;
  lastRevision: number;
  readonly got: string[];
}

const describeEvent = (e: DataspaceView<unknown>) =>
  e.type === 'asserted'
    ? `asserted ${e.assertion.id}=${show(e.assertion.value)} @${e.revision}`
    : e.type === 'retracted'
      ? `retracted ${e.id} (${e.reason}) @${e.revision}`
      : e.type === 'snapshot'
        ? `snapshot @${e.revision}`
        : `resync (${e.reason})`;

/**
 * Each of two or three adapter instances on one namespace has a session and a subscriber. In rounds,
 * sessions of any instance assert, retract and close while every subscriber is parked (it has
 * received everything and its next read is waiting). Every subscriber whose filter matches must wake
 * and receive each change, whichever instance made it, in revision order, once, with the revision
 * the writer got (a closed session's retractions each once, with reason `closed`), and nothing else.
 * A subscription that reads its backend when asked but is only woken by its own instance's changes
 * passes dataspace/subscribe; it fails here.
 */
export const dataspaceCrossInstanceSubscribeProperty: PropertySpec = {
  name: 'dataspace/cross-instance-subscribe',
  kind: 'dataspace',
  requirements: ['DSP-014', 'DSP-015', 'DSP-010', 'DSP-008', 'DSP-017'],
  features: ['subscribe'],
  property: (env) =>
    fc.asyncProperty(planArb, async (plan) => {
      const fixture = await env.fixtures.open((registry) => [
        dataspace('conformance.cross-instance', {
          durability: env.cls,
          value: Type.Integer(),
          registry,
        }) as DataspaceSurface<number>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const runtimes = [fixture.rt];
        while (runtimes.length < plan.instances) runtimes.push(await fixture.peer());
        const handles: DataspaceHandle<number>[] = runtimes.map((rt) => rt.use(surface));
        const open = (i: number) => handles[i]!.openSession({ owner: `o${i}`, leaseMs: LONG });
        const sessions: DataspaceSession<number>[] = await Promise.all(handles.map((_, i) => open(i)));
        const held = new Map<string, { instance: number; value: number }>();
        const made: string[] = []; // what the current round did, for reports
        /** Applies one change; an id another instance's session holds is changed by that session. */
        const apply = async (c: Change): Promise<Expected | undefined> => {
          if (c.op === 'close') {
            const ids = [...held].filter(([, h]) => h.instance === c.instance).map(([id]) => id);
            const r = await sessions[c.instance]!.close();
            expectModel(
              r.retracted === ids.length,
              ['DSP-008'],
              () => `close retracted ${r.retracted} of ${show(ids)}`,
            );
            for (const id of ids) held.delete(id);
            sessions[c.instance] = await open(c.instance);
            made.push(`instance ${c.instance} closed its session, retracting ${show(ids)}`);
            return ids.length === 0 ? undefined : { type: 'closed', ids };
          }
          const writer = held.get(c.id)?.instance ?? c.instance;
          if (c.op === 'assert') {
            const { revision } = await sessions[writer]!.assert(c.id, c.value);
            held.set(c.id, { instance: writer, value: c.value });
            made.push(`instance ${writer} asserted ${c.id}=${c.value} @${revision}`);
            return { type: 'asserted', revision, id: c.id, value: c.value };
          }
          const r = await sessions[writer]!.retract(c.id);
          held.delete(c.id);
          made.push(`instance ${writer} retracted ${c.id}${r ? ` @${r.revision}` : ' (absent)'}`);
          return r ? { type: 'retracted', revision: r.revision, id: c.id } : undefined;
        };
        for (const c of plan.before) await apply(c);

        const subscribers: Subscriber[] = [];
        for (const [instance, h] of handles.entries()) {
          const filter = plan.filters[instance]!;
          const reader = new SubscriptionReader(await h.subscribe(filter));
          const e = await reader.read(WAKE_TIMEOUT_MS);
          const want = [...held].filter(([id]) => filterMatches(filter, id)).map(([id, x]) => `${id}=${x.value}`);
          const have =
            e !== 'timeout' && e !== 'done' && e.type === 'snapshot'
              ? e.assertions.map((a) => `${a.id}=${show(a.value)}`)
              : undefined;
          expectModel(
            have !== undefined && show(have.sort()) === show(want.sort()),
            ['DSP-014'],
            () =>
              `the subscriber of ${show(filter)} on instance ${instance} began with ${e === 'timeout' || e === 'done' ? e : describeEvent(e)} ${show(have)}, not a snapshot of ${show(want)}`,
          );
          subscribers.push({ instance, filter, reader, lastRevision: (e as { revision: number }).revision, got: [] });
        }

        /** Reads one event a subscriber must receive after `cause`, in revision order. */
        const next = async (
          s: Subscriber,
          cause: string,
        ): Promise<DataspaceView<unknown> & { type: 'asserted' | 'retracted' }> => {
          const e = await s.reader.read(WAKE_TIMEOUT_MS);
          const where = `the subscriber of ${show(s.filter)} on instance ${s.instance} (it received ${show(s.got)})`;
          expectModel(
            e !== 'timeout' && e !== 'done',
            ['DSP-014'],
            () => `${where} ${e === 'done' ? 'ended' : `received nothing for ${WAKE_TIMEOUT_MS} ms`} after ${cause}`,
          );
          s.got.push(describeEvent(e));
          expectModel(
            e.type === 'asserted' || e.type === 'retracted',
            ['DSP-014'],
            () => `${where} got ${describeEvent(e)} after ${cause}`,
          );
          expectModel(
            e.revision > s.lastRevision,
            ['DSP-014', 'DSP-015'],
            () => `${where}: revision ${e.revision} came after ${s.lastRevision}`,
          );
          s.lastRevision = e.revision;
          return e as DataspaceView<unknown> & { type: 'asserted' | 'retracted' };
        };
        const receive = async (s: Subscriber, changes: readonly Expected[], cause: string) => {
          const where = () =>
            `the subscriber of ${show(s.filter)} on instance ${s.instance} (it received ${show(s.got)})`;
          for (const x of changes) {
            if (x.type === 'closed') {
              const left = new Set(x.ids.filter((id) => filterMatches(s.filter, id)));
              while (left.size > 0) {
                const e = await next(s, cause);
                const ok = e.type === 'retracted' && e.reason === 'closed' && left.delete(e.id);
                expectModel(
                  ok,
                  ['DSP-010', 'DSP-014'],
                  () => `${where()}: expected the closed session's retraction of one of ${show([...left])}`,
                );
              }
              continue;
            }
            if (!filterMatches(s.filter, x.id)) continue;
            const e = await next(s, cause);
            const ok =
              e.revision === x.revision &&
              (e.type === 'asserted'
                ? x.type === 'asserted' && e.assertion.id === x.id && e.assertion.value === x.value
                : x.type === 'retracted' && e.id === x.id && e.reason === 'retracted');
            expectModel(ok, ['DSP-014', 'DSP-010'], () => `${where()}: expected ${x.type} ${x.id} @${x.revision}`);
          }
        };

        for (const round of plan.rounds) {
          // Park every subscriber: it received everything and a read is waiting. Nothing more may come.
          const idle = await Promise.all(subscribers.map((s) => s.reader.read(PARKED_MS)));
          for (const [k, e] of idle.entries())
            expectModel(
              e === 'timeout',
              ['DSP-014'],
              () =>
                `the subscriber on instance ${k} got ${e === 'done' ? 'done' : describeEvent(e as DataspaceView<unknown>)} though no change was made`,
            );
          const changes: Expected[] = [];
          made.length = 0;
          for (const c of round) {
            const x = await apply(c);
            if (x) changes.push(x);
          }
          const cause = `${made.join(', ')} while it waited`;
          await Promise.all(subscribers.map((s) => receive(s, changes, cause)));
        }
        for (const s of subscribers)
          expectModel(
            await s.reader.closeEndsPending(),
            ['DSP-017'],
            () => `a read pending on the subscriber of instance ${s.instance} did not end when it closed`,
          );
      } finally {
        await fixture.close();
      }
    }),
};
