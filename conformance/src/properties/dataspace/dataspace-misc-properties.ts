import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, dataspace, type DataspaceHandle, type DataspaceSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { closedProperty } from '../common/closed-property.js';
import { isolationProperty } from '../common/isolation-property.js';
import { limitsProperty } from '../common/limits-property.js';
import { SubscriptionReader } from '../common/subscription-reader.js';

const defineDataspace = (registry: Registry, cls: DurabilityClass, id = 'conformance.dataspace') => dataspace(id, { durability: cls, value: Type.Unknown(), registry }) as DataspaceSurface<unknown>;
const LONG = 3_600_000;

/** Malformed ids and values are refused and assert nothing. */
export const dataspaceLimitsProperty = limitsProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  name: 'assert',
  requirements: { invalidKey: 'DSP-018', notIJson: 'DSP-019', tooLarge: 'DSP-019', schema: 'DSP-019' },
  define: (registry, cls, schema, maxValueBytes) => dataspace('conformance.limits', { durability: cls, value: schema, maxValueBytes, registry }) as DataspaceSurface<unknown>,
  setup: async () => undefined,
  write: async (rt, s, key, value) => (await rt.use(s).openSession({ owner: 'o', leaseMs: LONG })).assert(key, value),
  state: async (rt, s) => (await rt.use(s).list()).assertions,
});

/** Assertion ids with tricky characters never reach another surface or namespace. */
export const dataspaceIsolationProperty = isolationProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  requirement: 'DSP-021',
  define: (registry, cls, id) => defineDataspace(registry, cls, id),
  write: async (rt, s, key) => void (await (await rt.use(s).openSession({ owner: 'o', leaseMs: LONG })).assert(key, key)),
  visible: async (rt, s, key) => (await rt.use(s).get(key)) !== null,
});

/** After close, every dataspace operation fails with STATEPROOF_CLOSED. */
export const dataspaceClosedProperty = closedProperty<DataspaceSurface<unknown>>({
  kind: 'dataspace',
  requirement: 'DSP-022',
  define: (registry, cls) => defineDataspace(registry, cls),
  operations: {
    openSession: (h) => (h as DataspaceHandle<unknown>).openSession({ owner: 'o' }),
    get: (h) => (h as DataspaceHandle<unknown>).get('x'),
    list: (h) => (h as DataspaceHandle<unknown>).list(),
  },
});

/** Values are stored verbatim; a foreign envelope is refused before decoding; an unknown session is STATEPROOF_NOT_FOUND. */
export const dataspaceEnvelopeProperty: PropertySpec = {
  name: 'dataspace/envelope',
  kind: 'dataspace',
  requirements: ['DSP-020', 'DSP-003'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'), fc.string({ maxLength: 20 }), async (field, text) => {
      const fixture = await env.fixtures.open((registry) => [defineDataspace(registry, env.cls, 'conformance.envelope')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        await (await h.openSession({ owner: 'o', leaseMs: LONG })).assert('good', text);
        const store = await fixture.adapter.openDataspace!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get('good'))?.value;
        expectModel(stored?.endsWith('\n' + JSON.stringify(text)) === true, ['DSP-020'], () => `the adapter returned ${show(stored)} for the value it was given`);
        const header = JSON.parse((stored ?? '').split('\n')[0] as string) as Record<string, unknown>;
        const raw = await store.openSession('raw', LONG);
        await store.assert(raw.session, 'foreign', `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`);
        const got = await outcome(() => h.get('foreign'));
        expectModel(!got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH', ['DSP-020'], () => `reading a value whose ${field} is foreign gave ${describeOutcome(got)}`);
        for (const op of [(): Promise<unknown> => store.assert('no-such-session', 'x', stored ?? ''), () => store.closeSession('no-such-session'), () => store.heartbeat('no-such-session', 10)]) {
          const r = await outcome(op);
          expectModel(!r.ok && r.code === 'STATEPROOF_NOT_FOUND', ['DSP-003'], () => `an operation on an unknown session gave ${describeOutcome(r)}`);
        }
      } finally {
        await fixture.close();
      }
    }),
};

/**
 * A process that dies leaves its session to expire: another process's reaper retracts its
 * assertions, and that process's subscribers see the retractions with reason `expired`.
 */
export const dataspaceCrossProcessProperty: PropertySpec = {
  name: 'dataspace/dead-owner',
  kind: 'dataspace',
  requirements: ['DSP-009', 'DSP-024', 'DSP-010', 'DSP-007'],
  features: ['subscribe'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.uniqueArray(fc.constantFrom('r:1', 'r:2', 'r:3', 'x'), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), async (ids, leaseFactor) => {
      const fixture = await env.fixtures.open((registry) => [defineDataspace(registry, env.cls, 'conformance.dead-owner')]);
      try {
        const leaseMs = env.exactTime ? 100 * leaseFactor : 300 * leaseFactor;
        const dying = await fixture.peer();
        const survivor = fixture.rt.use(fixture.surfaces[0]);
        const watcher = await survivor.subscribe({ type: 'all' });
        const doomed = await dying.use(fixture.surfaces[0]).openSession({ owner: 'doomed', leaseMs });
        for (const id of ids) await doomed.assert(id, id);
        const alive = await survivor.openSession({ owner: 'alive', leaseMs: LONG });
        await alive.assert('mine', 1);
        await dying.close(); // the process goes away without closing its session
        await fixture.time.advance(leaseMs + fixture.time.slackMs);
        await survivor.reap();
        const left = (await survivor.list()).assertions.map((a) => a.id);
        expectModel(show(left) === show(['mine']), ['DSP-009', 'DSP-024'], () => `after the owner died and its lease ran out the dataspace holds ${show(left)}`);
        const seen = new Map<string, string>();
        const reader = new SubscriptionReader(watcher);
        for (let i = 0; i < 20 && seen.size < ids.length; i++) {
          const e = await reader.read(2000);
          if (e === 'timeout' || e === 'done') break;
          if (e.type === 'retracted') seen.set(e.id, e.reason);
        }
        for (const id of ids) expectModel(seen.get(id) === 'expired', ['DSP-010'], () => `the subscriber saw ${show([...seen])} for the dead owner's ${show(ids)}`);
        await alive.assert(ids[0] as string, 'taken');
        expectModel((await survivor.get(ids[0] as string))?.owner === 'alive', ['DSP-007'], () => "a dead owner's id could not be taken");
      } finally {
        await fixture.close();
      }
    }),
};

/** Without the `glob` feature, a glob filter is refused with STATEPROOF_UNSUPPORTED. */
export const dataspaceGlobUnclaimedProperty: PropertySpec = {
  name: 'dataspace/glob-unclaimed',
  kind: 'dataspace',
  requirements: ['DSP-013'],
  unclaimed: ['glob'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('a*', '?'), async (pattern) => {
      const fixture = await env.fixtures.open((registry) => [defineDataspace(registry, env.cls, 'conformance.glob')]);
      try {
        const got = await outcome(() => fixture.rt.use(fixture.surfaces[0]).list({ type: 'glob', pattern }));
        expectModel(!got.ok && got.code === 'STATEPROOF_UNSUPPORTED', ['DSP-013'], () => `a glob filter on an adapter without glob gave ${describeOutcome(got)}`);
      } finally {
        await fixture.close();
      }
    }),
};
