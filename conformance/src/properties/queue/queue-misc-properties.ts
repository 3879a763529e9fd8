import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, queue, type QueueHandle, type QueueSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { closedProperty } from '../common/closed-property.js';
import { isolationProperty } from '../common/isolation-property.js';
import { limitsProperty } from '../common/limits-property.js';

const defineQueue = (registry: Registry, cls: DurabilityClass, id = 'conformance.queue') => queue(id, { durability: cls, payload: Type.Unknown(), registry }) as QueueSurface<unknown, unknown>;

/** Malformed queue names and payloads are refused and enqueue nothing. */
export const queueLimitsProperty = limitsProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  name: 'enqueue',
  requirements: { invalidKey: 'QUE-029', notIJson: 'QUE-030', tooLarge: 'QUE-030', schema: 'QUE-030' },
  define: (registry, cls, schema, maxValueBytes) => queue('conformance.limits', { durability: cls, payload: schema, maxValueBytes, registry }) as QueueSurface<unknown, unknown>,
  setup: async (rt, s) => void (await rt.use(s).enqueue({ n: 0 }, { queue: 'k' })),
  write: async (rt, s, key, value) => {
    const h = rt.use(s);
    return rt.adapter.capabilities.kinds.queue?.features.batch && key === 'k' ? h.enqueueMany([{ payload: { n: 1 }, queue: key }, { payload: value, queue: key }]) : h.enqueue(value, { queue: key });
  },
  state: async (rt, s) => rt.use(s).counters(),
});

/** Queue names and idempotency keys with tricky characters never reach another surface or namespace. */
export const queueIsolationProperty = isolationProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  requirement: 'QUE-033',
  define: (registry, cls, id) => defineQueue(registry, cls, id),
  write: async (rt, s, key) => void (await rt.use(s).enqueue(key, { queue: key, ...(rt.adapter.capabilities.kinds.queue?.features.idempotency ? { idempotencyKey: key } : {}) })),
  visible: async (rt, s, key) => (await rt.use(s).claim({ worker: 'w', queues: [key], limit: 1, leaseMs: 60_000 })).length > 0,
});

/** After close, every queue operation fails with STATEPROOF_CLOSED. */
export const queueClosedProperty = closedProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  requirement: 'QUE-034',
  define: (registry, cls) => defineQueue(registry, cls),
  operations: {
    enqueue: (h) => (h as QueueHandle<unknown, unknown>).enqueue(1),
    claim: (h) => (h as QueueHandle<unknown, unknown>).claim({ worker: 'w' }),
    counters: (h) => (h as QueueHandle<unknown, unknown>).counters(),
  },
});

/** Payloads are stored verbatim, and a payload whose envelope is foreign is refused before decoding. */
export const queueEnvelopeProperty: PropertySpec = {
  name: 'queue/envelope',
  kind: 'queue',
  requirements: ['QUE-032'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'), fc.string({ maxLength: 20 }), async (field, text) => {
      const fixture = await env.fixtures.open((registry) => [defineQueue(registry, env.cls, 'conformance.envelope')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const { id } = await h.enqueue(text, { queue: 'good' });
        const store = await fixture.adapter.openQueue!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get(id))?.payload;
        expectModel(stored?.endsWith('\n' + JSON.stringify(text)) === true, ['QUE-032'], () => `the adapter returned ${show(stored)} for the payload it was given`);
        const header = JSON.parse((stored ?? '').split('\n')[0] as string) as Record<string, unknown>;
        await store.enqueue({ queue: 'foreign', payload: `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}` });
        const got = await outcome(() => h.claim({ worker: 'w', queues: ['foreign'] }));
        expectModel(!got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH', ['QUE-032'], () => `claiming a task whose payload ${field} is foreign gave ${describeOutcome(got)}`);
      } finally {
        await fixture.close();
      }
    }),
};

const UNCLAIMED: Record<string, (h: QueueHandle<unknown, unknown>) => Promise<unknown>> = {
  priority: (h) => h.enqueue(1, { priority: 3 }),
  delay: (h) => h.enqueue(1, { delayMs: 10 }),
  idempotency: (h) => h.enqueue(1, { idempotencyKey: 'k' }),
  batch: (h) => h.enqueueMany([{ payload: 1 }, { payload: 2 }]),
  cancel: (h) => h.cancel('t'),
};

/** Each optional queue feature the adapter does not claim is refused with STATEPROOF_UNSUPPORTED and enqueues nothing. */
export const queueUnclaimedProperty: PropertySpec = {
  name: 'queue/unclaimed-features',
  kind: 'queue',
  requirements: ['QUE-031'],
  weight: 0.1,
  applies: (env) => {
    const f = (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>;
    return Object.keys(UNCLAIMED).some((k) => f[k] !== true) ? true : 'the adapter claims every optional queue feature';
  },
  property: (env) => {
    const f = (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>;
    const missing = Object.keys(UNCLAIMED).filter((k) => f[k] !== true);
    return fc.asyncProperty(fc.constantFrom(...missing), async (feature) => {
      const fixture = await env.fixtures.open((registry) => [defineQueue(registry, env.cls, 'conformance.unclaimed')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const got = await outcome(() => (UNCLAIMED[feature] as (h: QueueHandle<unknown, unknown>) => Promise<unknown>)(h));
        expectModel(!got.ok && got.code === 'STATEPROOF_UNSUPPORTED', ['QUE-031'], () => `using the unclaimed feature ${feature} gave ${describeOutcome(got)}`);
        expectModel((await h.counters()).queued === 0, ['QUE-031'], () => 'a refused enqueue left a task');
      } finally {
        await fixture.close();
      }
    });
  },
};
