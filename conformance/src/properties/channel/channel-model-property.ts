import fc from 'fast-check';
import type { ChannelHandle } from '@stateproof/core';
import { ChannelModel, type Selector } from '../../models/channel-model.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { jsonArb } from '../arbitraries.js';
import { defineChannel, replicas } from './channel-fixture.js';
import {
  closeWhileReading,
  drain,
  expectEnded,
  publisher,
  settle,
  watch,
  type PublishFn,
  type Watched,
} from './channel-reading.js';
import { modelCommands } from '../common/model-commands.js';

/** Topics with glob and regex metacharacters, an escape and an astral character. */
const TOPICS = ['room:1', 'room:2', 'room*', 'room.1', 'roomx1', 'room:😀', 'lobby', 'a\\b'];
/** Patterns that a regex reading, an ignored escape or a UTF-16 `?` would get wrong on those topics. */
const PATTERNS = ['room:*', 'room.?', 'room\\*', 'room:?', '*', '*1', 'a\\\\b', 'l?bby', 'room[:]1'];
const CLIENTS = 3;

interface Real {
  readonly clients: readonly ChannelHandle<unknown>[];
  readonly watched: Map<number, Watched>;
  readonly publish: PublishFn;
}
type Cmd = fc.AsyncCommand<ChannelModel, Real>;

/** The n-th subscription ever made (modulo), or undefined before the first. */
function pick(model: ChannelModel, real: Real, n: number): Watched | undefined {
  const ids = model.subIds();
  return ids.length === 0 ? undefined : real.watched.get(ids[n % ids.length] as number);
}

class Subscribe implements Cmd {
  constructor(
    readonly client: number,
    readonly selector: Selector,
  ) {}
  check = () => true;
  async run(model: ChannelModel, real: Real): Promise<void> {
    const w = await watch(model, real.clients[this.client] as ChannelHandle<unknown>, this.client, this.selector);
    real.watched.set(w.id, w);
  }
  toString = () => `client${this.client}.subscribe(${JSON.stringify(this.selector)})`;
}

class Publish implements Cmd {
  constructor(
    readonly client: number,
    readonly topic: string,
    readonly body: unknown,
  ) {}
  check = () => true;
  async run(_model: ChannelModel, real: Real): Promise<void> {
    await real.publish(this.client, this.topic, this.body);
  }
  toString = () => `client${this.client}.publish(${JSON.stringify(this.topic)}, ${JSON.stringify(this.body)})`;
}

class Drain implements Cmd {
  constructor(readonly sub: number) {}
  check = () => true;
  async run(model: ChannelModel, real: Real): Promise<void> {
    const w = pick(model, real, this.sub);
    if (!w) return;
    if (model.isOpen(w.id)) await drain(model, w);
    else await expectEnded(model, w);
  }
  toString = () => `sub#${this.sub}.drain()`;
}

class Close implements Cmd {
  constructor(
    readonly sub: number,
    readonly drainFirst: boolean,
  ) {}
  check = () => true;
  async run(model: ChannelModel, real: Real): Promise<void> {
    const w = pick(model, real, this.sub);
    if (!w || !model.isOpen(w.id)) return;
    if (this.drainFirst) {
      await drain(model, w);
      await closeWhileReading(model, w);
    } else {
      await w.sub.close();
      model.close(w.id);
    }
    await expectEnded(model, w);
  }
  toString = () => `sub#${this.sub}.close(${this.drainFirst ? 'after draining' : 'with messages waiting'})`;
}

/**
 * Three replicas publish to topics and patterns while subscriptions on every replica open, read and
 * close. Each subscriber must receive exactly the messages of the topics it selects that were
 * published while it was live, once each, in each publisher's order, with the publisher's identity
 * and an increasing sequence; a closed subscription yields nothing more and leaves the others
 * untouched. At the end every open subscriber is settled with a marker from every replica.
 */
export const channelModelProperty: PropertySpec = {
  name: 'channel/model',
  kind: 'channel',
  requirements: ['CHN-001', 'CHN-002', 'CHN-003', 'CHN-004', 'CHN-005', 'CHN-007', 'CHN-012'],
  weight: 1,
  property: (env) => {
    const patterns = env.capabilities.kinds.channel?.features.patterns === true;
    const client = fc.integer({ min: 0, max: CLIENTS - 1 });
    const topic = fc.constantFrom(...TOPICS);
    const selector: fc.Arbitrary<Selector> = patterns
      ? fc.oneof(
          topic.map((t) => ({ topic: t })),
          fc.constantFrom(...PATTERNS).map((p) => ({ pattern: p })),
        )
      : topic.map((t) => ({ topic: t }));
    const publish = fc
      .tuple(client, topic, fc.option(jsonArb, { nil: null, freq: 3 }))
      .map(([c, t, b]) => new Publish(c, t, b));
    const cmds: Array<fc.Arbitrary<Cmd>> = [
      fc.tuple(client, selector).map(([c, s]) => new Subscribe(c, s)),
      publish,
      publish,
      publish,
      fc.nat(8).map((n) => new Drain(n)),
      fc.tuple(fc.nat(8), fc.boolean()).map(([n, d]) => new Close(n, d)),
    ];
    return fc.asyncProperty(modelCommands(cmds, env, 60), async (commands) => {
      const fixture = await env.fixtures.open((registry) => [defineChannel(registry, env.cls)]);
      try {
        const clients = await replicas(fixture, CLIENTS);
        const model = new ChannelModel();
        const real: Real = { clients, watched: new Map(), publish: publisher(model, clients) };
        await fc.asyncModelRun(() => ({ model, real }), commands);
        // Settle every open subscriber: nothing missing, nothing extra; a closed one stays ended.
        for (const w of real.watched.values()) {
          if (model.isOpen(w.id)) await settle(model, w, real.publish, [...clients.keys()]);
          else await expectEnded(model, w);
        }
      } finally {
        await fixture.close();
      }
    });
  },
};
