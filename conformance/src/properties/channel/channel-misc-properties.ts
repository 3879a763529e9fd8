import { isDeepStrictEqual } from 'node:util';
import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, channel, createRegistry, type ChannelHandle, type ChannelSurface, type ChannelView, type Runtime } from '@stateproof/core';
import { DURABILITY_CLASSES } from '@stateproof/spec';
import { ChannelModel } from '../../models/channel-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { invalidKeyArb } from '../arbitraries.js';
import { closedProperty } from '../common/closed-property.js';
import { limitsProperty } from '../common/limits-property.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { defineChannel } from './channel-fixture.js';
import { publisher, READ_TIMEOUT_MS, settle, watch } from './channel-reading.js';

/** Whether the runtime's adapter claims pattern subscriptions. */
const claimsPatterns = (rt: Runtime) => rt.adapter.capabilities.kinds.channel?.features.patterns === true;

/** Resolves `p`, or `'timeout'` after the read timeout. */
async function within<T>(p: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READ_TIMEOUT_MS)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Subscribers that watch what a refused publish might have sent: the exact topic `k`, and every topic when patterns are claimed. */
interface Probe {
  readonly readers: SubscriptionReader<ChannelView<unknown>>[];
  /** Every message the probes saw, except the probe markers themselves. */
  readonly seen: unknown[];
  markers: number;
}
const probes = new WeakMap<Runtime, Probe>();

/**
 * Malformed topics and messages are refused with their typed error and publish nothing: subscribers
 * of the topic (and of every topic, with patterns) see nothing of them before the next good message.
 */
export const channelLimitsProperty = limitsProperty<ChannelSurface<unknown>>({
  kind: 'channel',
  name: 'publish',
  requirements: { invalidKey: 'CHN-009', notIJson: 'CHN-010', tooLarge: 'CHN-010', schema: 'CHN-010' },
  define: (registry, cls, schema, maxValueBytes) => channel('conformance.limits', { durability: cls, message: schema, maxValueBytes, registry }) as ChannelSurface<unknown>,
  setup: async (rt, s) => {
    const h = rt.use(s);
    const subs = [await h.subscribe({ topic: 'k' }), ...(claimsPatterns(rt) ? [await h.subscribe({ pattern: '*' })] : [])];
    probes.set(rt, { readers: subs.map((sub) => new SubscriptionReader(sub)), seen: [], markers: 0 });
    await h.publish('k', { n: 1 });
  },
  write: async (rt, s, key, value) => rt.use(s).publish(key, value),
  // What the probes saw up to a marker published now: a refused publish must not add to it.
  state: async (rt, s) => {
    const probe = probes.get(rt) as Probe;
    const marker = { n: 0, s: `probe:${++probe.markers}` };
    await rt.use(s).publish('k', marker);
    for (const [i, reader] of probe.readers.entries()) {
      for (;;) {
        const e = await reader.read(READ_TIMEOUT_MS);
        expectModel(e !== 'timeout' && e !== 'done', ['CHN-001'], () => `probe subscriber ${i} never received the marker ${show(marker)}`);
        if (e.type === 'message' && isDeepStrictEqual(e.message, marker)) break;
        const earlier = e.type === 'message' && typeof e.message === 'object' && e.message !== null && String((e.message as { s?: unknown }).s).startsWith('probe:');
        expectModel(!earlier, ['CHN-002'], () => `probe subscriber ${i} received the marker ${show(e.type === 'message' ? e.message : e)} a second time`);
        probe.seen.push({ probe: i, ...(e.type === 'message' ? { topic: e.topic, message: e.message } : e) });
      }
    }
    return [...probe.seen];
  },
});

/** After close, publish and subscribe fail with STATEPROOF_CLOSED. */
export const channelClosedProperty = closedProperty<ChannelSurface<unknown>>({
  kind: 'channel',
  requirement: 'CHN-013',
  define: (registry, cls) => defineChannel(registry, cls),
  operations: {
    publish: (h) => (h as ChannelHandle<unknown>).publish('t', 1),
    subscribe: (h) => (h as ChannelHandle<unknown>).subscribe({ topic: 't' }),
  },
});

/**
 * Closing a runtime, or its adapter under it, ends the subscriptions open on it (a pending read
 * completes with done) and makes the adapter's own publish and subscribe fail with STATEPROOF_CLOSED;
 * a replica that stays open goes on publishing and receiving.
 */
export const channelClosedSubscriptionsProperty: PropertySpec = {
  name: 'channel/closed-subscriptions',
  kind: 'channel',
  requirements: ['CHN-013'],
  weight: 0.2,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('runtime', 'adapter'), fc.boolean(), async (what, pending) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.closed')]);
      try {
        const peer = (await fixture.peer()).use(fixture.surfaces[0]);
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const mine = new SubscriptionReader(await fixture.rt.use(fixture.surfaces[0]).subscribe({ topic: 't' }));
        const raw = new SubscriptionReader(await store.subscribe({ topic: 't' }));
        const theirs = new SubscriptionReader(await peer.subscribe({ topic: 't' }));
        // Optionally with reads already waiting when the close comes.
        const waiting = pending ? [mine.read(READ_TIMEOUT_MS), raw.read(READ_TIMEOUT_MS)] : [];
        if (what === 'runtime') await fixture.rt.close();
        else await fixture.adapter.close();
        const ends = await Promise.all([...waiting, mine.read(READ_TIMEOUT_MS), raw.read(READ_TIMEOUT_MS)]);
        expectModel(
          ends.every((e) => e === 'done'),
          ['CHN-013'],
          () => `after the ${what} closed, its open subscriptions gave ${show(ends.map((e) => (typeof e === 'string' ? e : e.type)))} instead of ending`,
        );
        for (const [name, op] of [
          ['publish', () => store.publish('t', 'x')],
          ['subscribe', () => store.subscribe({ topic: 't' })],
        ] as const) {
          const got = await outcome<unknown>(op);
          expectModel(!got.ok && got.code === 'STATEPROOF_CLOSED', ['CHN-013'], () => `${name} on the adapter after the ${what} closed gave ${describeOutcome(got)}`);
        }
        await peer.publish('t', 'still here');
        const e = await theirs.read(READ_TIMEOUT_MS);
        expectModel(e !== 'timeout', ['CHN-001'], () => `after another replica's ${what} closed, a subscriber on an open replica received nothing for ${READ_TIMEOUT_MS} ms`);
        expectModel(typeof e === 'object' && e.type === 'message' && e.message === 'still here', ['CHN-013'], () => `after another replica's ${what} closed, a subscriber on an open replica got ${show(e)}`);
      } finally {
        await fixture.close();
      }
    }),
};

/** Messages are delivered verbatim, and a delivered message whose envelope is foreign is refused before it is decoded. */
export const channelEnvelopeProperty: PropertySpec = {
  name: 'channel/envelope',
  kind: 'channel',
  requirements: ['CHN-011'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'), fc.string({ maxLength: 20 }), fc.boolean(), async (field, text, garbage) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.envelope')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const raw = new SubscriptionReader(await store.subscribe({ topic: 't' }));
        const typed = await h.subscribe({ topic: 't' });
        await h.publish('t', text);
        const delivered = await raw.read(READ_TIMEOUT_MS);
        expectModel(delivered !== 'timeout' && delivered !== 'done', ['CHN-001'], () => `a subscriber on the adapter itself got ${delivered} instead of the message published`);
        const encoded = delivered.type === 'message' ? delivered.message : undefined;
        expectModel(encoded?.endsWith('\n' + JSON.stringify(text)) === true, ['CHN-011'], () => `the adapter delivered ${show(delivered)} for the message it was given`);
        const good = await within(typed.next());
        expectModel(good !== 'timeout', ['CHN-001'], () => `the typed subscriber received nothing for ${READ_TIMEOUT_MS} ms`);
        expectModel(!good.done && good.value.type === 'message' && good.value.message === text, ['CHN-011'], () => `the typed subscriber got ${show(good)} for ${show(text)}`);
        const header = JSON.parse((encoded ?? '').split('\n')[0] as string) as Record<string, unknown>;
        // A foreign envelope, with a body that would not even parse: the envelope must be refused first.
        const body = garbage ? '{"unterminated' : JSON.stringify(text);
        await store.publish('t', `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${body}`);
        const got = await outcome(async () => {
          const r = await within(typed.next());
          if (r === 'timeout') throw new Error(`the typed subscriber received nothing for ${READ_TIMEOUT_MS} ms`);
          return r;
        });
        expectModel(!got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH', ['CHN-011'], () => `receiving a message whose ${field} is foreign gave ${describeOutcome(got)}`);
      } finally {
        await fixture.close();
      }
    }),
};

/** Invalid keys, and things that are not strings at all. */
const badKeyArb: fc.Arbitrary<string> = fc.oneof(invalidKeyArb, fc.constantFrom<unknown>(42, null, {}, ['t']).map((v) => v as string));

/**
 * Topics and patterns are checked like keys: invalid ones fail with STATEPROOF_INVALID_KEY, a
 * malformed pattern with STATEPROOF_INVALID_OPTIONS; a topic (or pattern) of exactly 512 UTF-8 bytes
 * is accepted and works.
 */
export const channelSelectorsProperty: PropertySpec = {
  name: 'channel/selectors',
  kind: 'channel',
  requirements: ['CHN-009'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.oneof(
        badKeyArb.map((key) => ({ case: 'topic' as const, key })),
        badKeyArb.map((key) => ({ case: 'pattern' as const, key })),
        fc.constantFrom('a\\', '\\', 'ab*\\').map((key) => ({ case: 'malformed' as const, key })),
        fc.constantFrom('k'.repeat(512), '😀'.repeat(128), 'é'.repeat(256), `${'x'.repeat(511)}*`).map((key) => ({ case: 'boundary' as const, key })),
      ),
      async (c) => {
        const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.selectors')]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const patterns = claimsPatterns(fixture.rt);
          if (c.case === 'topic') {
            const got = await outcome(() => h.subscribe({ topic: c.key }));
            expectModel(!got.ok && got.code === 'STATEPROOF_INVALID_KEY', ['CHN-009'], () => `subscribe to topic ${show(c.key).slice(0, 40)} gave ${describeOutcome(got)}`);
            const published = await outcome(() => h.publish(c.key, 'x'));
            expectModel(!published.ok && published.code === 'STATEPROOF_INVALID_KEY', ['CHN-009'], () => `publish to topic ${show(c.key).slice(0, 40)} gave ${describeOutcome(published)}`);
          } else if (c.case === 'pattern' || c.case === 'malformed') {
            const want = c.case === 'pattern' ? 'STATEPROOF_INVALID_KEY' : 'STATEPROOF_INVALID_OPTIONS';
            const got = await outcome(() => h.subscribe({ pattern: c.key }));
            // Without the feature, refusing the pattern as unsupported is as good.
            const ok = !got.ok && (got.code === want || (!patterns && got.code === 'STATEPROOF_UNSUPPORTED'));
            expectModel(ok, ['CHN-009'], () => `subscribe to pattern ${show(c.key).slice(0, 40)} gave ${describeOutcome(got)}, expected ${want}`);
          } else {
            // 512 bytes is within bounds: it must subscribe, publish and arrive.
            const model = new ChannelModel();
            const publish = publisher(model, [h]);
            const topic = c.key.endsWith('*') ? `${c.key.slice(0, -1)}y` : c.key;
            const subs = [await watch(model, h, 0, { topic }), ...(patterns ? [await watch(model, h, 0, { pattern: c.key })] : [])];
            await publish(0, topic, 'boundary');
            for (const s of subs) await settle(model, s, publish, [0]);
          }
        } finally {
          await fixture.close();
        }
      },
    ),
};

/** Without the `patterns` feature, a pattern subscription is refused with STATEPROOF_UNSUPPORTED, by the adapter and through the runtime. */
export const channelPatternsUnclaimedProperty: PropertySpec = {
  name: 'channel/patterns-unclaimed',
  kind: 'channel',
  requirements: ['CHN-005'],
  unclaimed: ['patterns'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('t*', '?', 'a\\*'), async (pattern) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.patterns-unclaimed')]);
      try {
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const direct = await outcome(() => store.subscribe({ pattern }));
        expectModel(!direct.ok && direct.code === 'STATEPROOF_UNSUPPORTED', ['CHN-005'], () => `a pattern subscription on an adapter that does not claim patterns gave ${describeOutcome(direct)}`);
        const via = await outcome(() => fixture.rt.use(fixture.surfaces[0]).subscribe({ pattern }));
        expectModel(!via.ok && via.code === 'STATEPROOF_UNSUPPORTED', ['CHN-005'], () => `the runtime accepted a pattern the adapter does not claim: ${describeOutcome(via)}`);
      } finally {
        await fixture.close();
      }
    }),
};

/**
 * A channel is ephemeral: declaring any other class fails with STATEPROOF_CLASS_NOT_ALLOWED. What
 * can be checked of "nothing survives a restart" is the other half: a replica that starts again and
 * subscribes receives nothing published before it, the backend keeps nothing to replay.
 */
export const channelEphemeralProperty: PropertySpec = {
  name: 'channel/ephemeral',
  kind: 'channel',
  requirements: ['CHN-008', 'CHN-003'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(...DURABILITY_CLASSES.filter((c) => c !== 'ephemeral')), fc.integer({ min: 1, max: 4 }), async (cls, n) => {
      const declared = await outcome(async () => channel('conformance.durable-channel', { durability: cls, message: Type.Unknown(), registry: createRegistry() }));
      expectModel(!declared.ok && declared.code === 'STATEPROOF_CLASS_NOT_ALLOWED', ['CHN-008'], () => `declaring a ${cls} channel gave ${describeOutcome(declared)}`);
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls, 'conformance.ephemeral')]);
      try {
        const before = fixture.rt.use(fixture.surfaces[0]);
        const model = new ChannelModel();
        const once = publisher(model, [before]);
        for (let i = 0; i < n; i++) await once(0, 't', i);
        await fixture.rt.close();
        // The process starts again on a fresh adapter instance over the same backend and namespace.
        const again = (await fixture.peer()).use(fixture.surfaces[0]);
        const publish = publisher(model, [before, again]);
        const w = await watch(model, again, 1, { topic: 't' });
        await settle(model, w, publish, [1]);
      } finally {
        await fixture.close();
      }
    }),
};
