import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, createRegistry, log, openRuntime, type LogHandle, type LogSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { closedProperty } from '../common/closed-property.js';
import { isolationProperty } from '../common/isolation-property.js';
import { limitsProperty } from '../common/limits-property.js';

const defineLog = (registry: Registry, cls: DurabilityClass, id = 'conformance.log', extra: object = {}) =>
  log(id, { durability: cls, value: Type.Unknown(), ...(cls === 'telemetry' ? { retention: { maxEntries: 1000 } } : {}), ...extra, registry }) as LogSurface<unknown>;

/** Malformed streams and values are refused and append nothing; one bad value refuses the whole batch. */
export const logLimitsProperty = limitsProperty<LogSurface<unknown>>({
  kind: 'log',
  name: 'append',
  requirements: { invalidKey: 'LOG-022', notIJson: 'LOG-023', tooLarge: 'LOG-024', schema: 'LOG-025' },
  define: (registry, cls, schema, maxValueBytes) => log('conformance.limits', { durability: cls, value: schema, maxValueBytes, ...(cls === 'telemetry' ? { retention: { maxEntries: 100 } } : {}), registry }) as LogSurface<unknown>,
  setup: async (rt, s) => void (await rt.use(s).append('k', { n: 0 })),
  write: async (rt, s, key, value) => {
    const h = rt.use(s);
    // Half the time inside a batch with a valid value first: the batch must be refused whole.
    return rt.adapter.capabilities.kinds.log?.features.batch && key === 'k' ? h.appendBatch(key, [{ n: 1 }, value]) : h.append(key, value);
  },
  state: async (rt, s) => rt.use(s).info('k'),
});

/** Streams with tricky names never reach another surface or namespace. */
export const logIsolationProperty = isolationProperty<LogSurface<unknown>>({
  kind: 'log',
  requirement: 'LOG-027',
  define: (registry, cls, id) => defineLog(registry, cls, id),
  write: async (rt, s, key) => void (await rt.use(s).append(key, key)),
  visible: async (rt, s, key) => (await rt.use(s).info(key)).last > 0,
});

/** After close, every log operation fails with STATEPROOF_CLOSED. */
export const logClosedProperty = closedProperty<LogSurface<unknown>>({
  kind: 'log',
  requirement: 'LOG-028',
  define: (registry, cls) => defineLog(registry, cls),
  operations: {
    append: (h) => (h as LogHandle<unknown>).append('s', 1),
    read: (h) => (h as LogHandle<unknown>).read('s'),
    info: (h) => (h as LogHandle<unknown>).info('s'),
  },
});

/** Entries are stored verbatim, and an entry whose envelope is foreign is refused before decoding. */
export const logEnvelopeProperty: PropertySpec = {
  name: 'log/envelope',
  kind: 'log',
  requirements: ['LOG-026'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'), fc.string({ maxLength: 20 }), async (field, text) => {
      const fixture = await env.fixtures.open((registry) => [defineLog(registry, env.cls, 'conformance.envelope')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        await h.append('s', text);
        const store = await fixture.adapter.openLog!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const [stored] = await store.read('s', { after: 0, limit: 1 });
        expectModel(stored?.value.endsWith('\n' + JSON.stringify(text)) === true, ['LOG-026'], () => `the adapter returned ${show(stored?.value)} for the value it was given`);
        const header = JSON.parse((stored?.value ?? '').split('\n')[0] as string) as Record<string, unknown>;
        await store.append('s', [`${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`]);
        const got = await outcome(() => h.read('s', { after: 1 }));
        expectModel(!got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH', ['LOG-026'], () => `reading an entry whose ${field} is foreign gave ${describeOutcome(got)}`);
      } finally {
        await fixture.close();
      }
    }),
};

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
      const fixture = await env.fixtures.open((registry) => [defineLog(registry, env.cls, 'conformance.emit', env.cls === 'telemetry' ? {} : {})]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        for (let i = 0; i < ok; i++) expectModel(h.emit('s', i) === undefined, ['LOG-020'], () => 'emit returned something to wait for');
        await h.flush();
        expectModel(show(h.stats()) === show({ appended: ok, dropped: 0, pending: 0 }), ['LOG-020'], () => `after flushing ${ok} emits the counts are ${show(h.stats())}`);
        expectModel((await h.info('s')).last === ok, ['LOG-020'], () => `${ok} emitted entries were not all appended`);
        await fixture.adapter.close(); // the backend goes away under the runtime
        const t0 = performance.now();
        for (let i = 0; i < lost; i++) h.emit('s', i);
        expectModel(performance.now() - t0 < 1000, ['LOG-020'], () => 'emit blocked while the backend was gone');
        await h.flush();
        expectModel(show(h.stats()) === show({ appended: ok, dropped: lost, pending: 0 }), ['LOG-020', 'LOG-021'], () => `after ${lost} emits into a closed backend the counts are ${show(h.stats())}`);
      } finally {
        await fixture.close();
      }
    }),
};

/** A telemetry log without a bound is refused at definition. */
export const logTelemetryBoundProperty: PropertySpec = {
  name: 'log/telemetry-bounded',
  kind: 'log',
  requirements: ['LOG-019'],
  weight: 0.05,
  property: () =>
    fc.asyncProperty(fc.constantFrom({}, { retention: {} }), async (options) => {
      const got = await outcome(async () => log('conformance.unbounded', { durability: 'telemetry', value: Type.Unknown(), ...options, registry: createRegistry() }));
      expectModel(!got.ok && got.code === 'STATEPROOF_INVALID_OPTIONS', ['LOG-019'], () => `an unbounded telemetry log was accepted: ${describeOutcome(got)}`);
    }),
};

/** A surface with retention does not bind to an adapter that does not claim retention. */
export const logRetentionUnclaimedProperty: PropertySpec = {
  name: 'log/retention-unclaimed',
  kind: 'log',
  requirements: ['LOG-011'],
  unclaimed: ['retention'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (maxEntries) => {
      const adapter = await env.target.create({ namespace: env.fixtures.namespace(), clock: { now: () => Date.now() } });
      const registry = createRegistry();
      log('conformance.retained', { durability: env.cls, value: Type.Unknown(), retention: { maxEntries }, registry });
      const got = await outcome(() => openRuntime({ adapter, app: 'c', deployment: 'c', registry, mode: 'enforce', maintenanceIntervalMs: false }));
      if (got.ok) await got.value.close();
      else await adapter.close();
      expectModel(!got.ok && got.code === 'STATEPROOF_UNSUPPORTED', ['LOG-011'], () => `binding a retained log to an adapter without retention gave ${describeOutcome(got)}`);
    }),
};
