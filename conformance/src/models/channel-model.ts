import { isDeepStrictEqual } from 'node:util';
import { globMatch } from './glob-match.js';
import { expectModel, show } from './model-mismatch.js';
import type { RequirementId } from '../requirements/requirement-ids.js';

/** A selector as the channel handle takes it. */
export type Selector = { readonly topic: string } | { readonly pattern: string };

/** Whether `selector` selects `topic`: an exact topic equals it, a pattern matches it as a glob. */
export function selects(selector: Selector, topic: string): boolean {
  return 'topic' in selector ? selector.topic === topic : globMatch(selector.pattern, topic);
}

/** A topic that `selector` selects (a wildcard becomes `m`, an escape its literal), for the markers that settle a subscriber. */
export function topicSelectedBy(selector: Selector): string {
  if ('topic' in selector) return selector.topic;
  const p = Array.from(selector.pattern);
  let topic = '';
  for (let i = 0; i < p.length; i++)
    topic += p[i] === '\\' ? (p[++i] ?? '') : p[i] === '*' || p[i] === '?' ? 'm' : p[i];
  return topic;
}

/** What the suite publishes: a run-unique id, so that every delivery names its publish, and a body. */
export interface ChannelMessage {
  readonly id: number;
  readonly body: unknown;
}

/** An event as the typed handle yields it (the message is whatever came out of the codec). */
export type ChannelDelivery =
  | {
      readonly type: 'message';
      readonly topic: string;
      readonly message: unknown;
      readonly publisher: string;
      readonly seq: number;
    }
  | { readonly type: 'lagged'; readonly dropped: number };

interface Publish {
  /** Position in the run's publish order; also the message id. */
  readonly index: number;
  readonly client: number;
  readonly topic: string;
  readonly body: unknown;
}

interface Sub {
  readonly id: number;
  readonly client: number;
  readonly selector: Selector;
  readonly bufferSize: number;
  state: 'opening' | 'live' | 'closed';
  /** Publishes with a smaller index came before the subscribe call: never to be delivered. */
  readonly began: number;
  /** Messages it must still receive (or lose to an announced lag), in publish order. */
  required: Publish[];
  /** Messages published while its subscribe was running: it may or may not receive them. */
  optional: Publish[];
  /** Every message routed to it so far, required or optional: a lag needs more than its buffer holds. */
  eligible: number;
  /** Index of the latest message it must receive. */
  latest: number;
  readonly received: Set<number>;
  /** Per publishing client, the index of the last message it received. */
  readonly last: Map<number, number>;
  /** Drops announced by `lagged` events and not yet matched to a lost message. */
  credit: number;
}

/**
 * Reference model of a channel surface (spec/contract/channel.md). It knows every publish and every
 * subscription's live window, and checks each event a subscriber reads: a message must be one
 * published after the subscription was live (or while it was opening), of a topic it selects, not
 * seen before, in its publisher's order, with a publisher identity and sequence consistent with every
 * other delivery of that publisher. A message that a later one of the same publisher overtakes was
 * lost, and must have been announced by `lagged` events before that later one; announced drops must
 * add up exactly once the subscriber has settled. Order across publishers is not promised and not
 * checked.
 */
export class ChannelModel {
  private readonly publishes: Publish[] = [];
  private readonly subs: Sub[] = [];
  /** Publisher identity seen for each client, and back. */
  private readonly publisherOf = new Map<number, string>();
  private readonly clientOf = new Map<string, number>();
  /** Sequence seen for each delivered message id. */
  private readonly seqOf = new Map<number, number>();

  /** Subscription ids in creation order. */
  subIds(): number[] {
    return this.subs.map((s) => s.id);
  }

  /** Whether the subscription is open (opening or live). */
  isOpen(sub: number): boolean {
    return this.sub(sub).state !== 'closed';
  }

  /** The selector and client of a subscription. */
  describe(sub: number): string {
    const s = this.sub(sub);
    return `sub#${s.id}(${show(s.selector)} on client${s.client})`;
  }

  /** The selector of a subscription. */
  selectorOf(sub: number): Selector {
    return this.sub(sub).selector;
  }

  /** Whether a message id is one of the suite's publishes. */
  knows(id: unknown): boolean {
    return typeof id === 'number' && this.publishes[id] !== undefined;
  }

  private sub(id: number): Sub {
    const s = this.subs[id];
    if (!s) throw new Error(`internal: no subscription ${id}`);
    return s;
  }

  /** A subscribe call starts: messages published from now until {@link live} may or may not reach it. */
  beginSubscribe(client: number, selector: Selector, bufferSize: number): number {
    const id = this.subs.length;
    this.subs.push({
      id,
      client,
      selector,
      bufferSize,
      state: 'opening',
      began: this.publishes.length,
      required: [],
      optional: [],
      eligible: 0,
      latest: -1,
      received: new Set(),
      last: new Map(),
      credit: 0,
    });
    return id;
  }

  /** The subscribe call resolved: every later matching message must reach it. */
  live(sub: number): void {
    const s = this.sub(sub);
    if (s.state === 'opening') s.state = 'live';
  }

  /** The subscription was closed (or never opened): nothing more is expected of it. */
  close(sub: number): void {
    const s = this.sub(sub);
    s.state = 'closed';
    s.required = [];
    s.optional = [];
  }

  /** A publish begins; returns the message to send. */
  publish(client: number, topic: string, body: unknown): ChannelMessage {
    const p: Publish = { index: this.publishes.length, client, topic, body };
    this.publishes.push(p);
    for (const s of this.subs) {
      if (s.state === 'closed' || !selects(s.selector, topic)) continue;
      s.eligible++;
      if (s.state === 'opening') s.optional.push(p);
      else {
        s.required.push(p);
        s.latest = p.index;
      }
    }
    return { id: p.index, body };
  }

  /** Messages the subscription must still receive. */
  missing(sub: number): number {
    return this.sub(sub).required.length;
  }

  /** Whether every message routed to the subscription has been received or lost, optional ones included. */
  settled(sub: number): boolean {
    const s = this.sub(sub);
    return s.required.length === 0 && s.optional.length === 0;
  }

  /** Whether the latest message the subscription must receive (if any) has been received or is known lost. */
  latestResolved(sub: number): boolean {
    const s = this.sub(sub);
    return !s.required.some((p) => p.index === s.latest);
  }

  /** Clients with messages to the subscription that are neither received nor known lost, required ones first. */
  unresolved(sub: number): number[] {
    const s = this.sub(sub);
    return [...new Set([...s.required, ...s.optional].map((p) => p.client))];
  }

  /** What the subscription still waits for (and may still get), for messages. */
  pendingSummary(sub: number): string {
    const s = this.sub(sub);
    const list = (ps: Publish[]) => show(ps.map((p) => `#${p.index} ${p.topic} from client${p.client}`));
    return s.optional.length === 0 ? list(s.required) : `${list(s.required)} (and may get ${list(s.optional)})`;
  }

  /** The requirement ids a missing delivery to this subscription breaks. */
  missingRequirements(sub: number): RequirementId[] {
    return ['CHN-001', ...('pattern' in this.sub(sub).selector ? (['CHN-005'] as const) : [])];
  }

  /** Checks one event read from a subscription. */
  checkEvent(sub: number, event: ChannelDelivery): void {
    const s = this.sub(sub);
    const who = this.describe(sub);
    expectModel(s.state !== 'closed', ['CHN-007'], () => `${who} is closed but yielded ${show(event)}`);
    if (event.type === 'lagged') return this.checkLagged(s, who, event.dropped);
    expectModel(
      event.type === 'message',
      ['CHN-001'],
      () => `${who} yielded an event that is neither a message nor lagged: ${show(event)}`,
    );
    const m = event.message as Partial<ChannelMessage> | null;
    const id = typeof m === 'object' && m !== null ? m.id : undefined;
    expectModel(this.knows(id), ['CHN-001'], () => `${who} received ${show(event)}, which nobody published`);
    const p = this.publishes[id as number] as Publish;
    expectModel(
      event.topic === p.topic && isDeepStrictEqual(m?.body, p.body),
      ['CHN-001'],
      () =>
        `${who} received message #${p.index} as ${show({ topic: event.topic, message: m })}; it was published as ${show({ topic: p.topic, body: p.body })}`,
    );
    expectModel(
      !s.received.has(p.index),
      ['CHN-002'],
      () => `${who} received message #${p.index} (${show(p.topic)}) a second time`,
    );
    expectModel(
      p.index >= s.began,
      ['CHN-003'],
      () => `${who} received message #${p.index} (${show(p.topic)}), published before the subscription was made`,
    );
    if (!selects(s.selector, p.topic)) {
      const interpolated = 'topic' in s.selector && globMatch(s.selector.topic, p.topic);
      expectModel(
        false,
        interpolated ? ['CHN-005', 'CHN-012'] : ['CHN-005'],
        () =>
          `${who} received message #${p.index} of topic ${show(p.topic)}, which it does not select${interpolated ? ' (its topic was used as a pattern)' : ''}`,
      );
    }
    this.checkPublisher(p, event.publisher, event.seq, who);
    const last = s.last.get(p.client) ?? -1;
    expectModel(
      p.index > last,
      ['CHN-004'],
      () => `${who} received message #${p.index} of client${p.client} after #${last}: not in publish order`,
    );
    s.last.set(p.client, p.index);
    s.received.add(p.index);

    // Earlier messages of the same publisher can no longer come: they were lost, and must have been announced.
    const lost = s.required.filter((q) => q.client === p.client && q.index < p.index);
    const maybe = s.optional.filter((q) => q.client === p.client && q.index < p.index);
    s.required = s.required.filter((q) => q.index !== p.index && !lost.includes(q));
    s.optional = s.optional.filter((q) => q.index !== p.index && !maybe.includes(q));
    s.credit -= lost.length;
    if (s.credit < 0) {
      // With a buffer that never filled nothing may be dropped at all: lost or overtaken. Otherwise a drop went unannounced.
      const overflowed = s.eligible > s.bufferSize;
      const missed = show(lost.map((q) => `#${q.index} ${q.topic}`));
      expectModel(false, overflowed ? ['CHN-006', 'CHN-001'] : ['CHN-001', 'CHN-004'], () =>
        overflowed
          ? `${who} received message #${p.index} of client${p.client}, but ${missed} before it had not come and only ${s.credit + lost.length} drops were announced: lost silently (or overtaken)`
          : `${who} received message #${p.index} of client${p.client}, but ${missed} before it had not come although its buffer never filled: lost or overtaken`,
      );
    }
    // Announced drops beyond what other messages still outstanding can account for were of the optional ones.
    const outstanding = s.required.length + s.optional.length;
    const excess = s.credit - outstanding;
    expectModel(
      excess <= maybe.length,
      ['CHN-006'],
      () => `${who} was told of ${s.credit + lost.length} dropped messages, more than it lost`,
    );
    if (excess > 0) s.credit -= excess;
    if (this.settled(sub))
      expectModel(
        s.credit === 0,
        ['CHN-006'],
        () => `${who} received every message but was told of ${s.credit} more drops`,
      );
  }

  private checkLagged(s: Sub, who: string, dropped: number): void {
    expectModel(
      Number.isInteger(dropped) && dropped > 0,
      ['CHN-006'],
      () => `${who} got a lagged event with dropped ${show(dropped)}`,
    );
    expectModel(
      s.eligible > s.bufferSize,
      ['CHN-001', 'CHN-006'],
      () =>
        `${who} lost ${dropped} messages although only ${s.eligible} were ever published to it, fewer than its buffer of ${s.bufferSize}`,
    );
    s.credit += dropped;
    const outstanding = s.required.length + s.optional.length;
    expectModel(
      s.credit <= outstanding,
      ['CHN-006'],
      () => `${who} was told of ${s.credit} dropped messages, but only ${outstanding} are outstanding`,
    );
  }

  /** The same publisher identity and sequence everywhere, sequences increasing in publish order. */
  private checkPublisher(p: Publish, publisher: string, seq: number, who: string): void {
    const known = this.publisherOf.get(p.client);
    expectModel(
      typeof publisher === 'string' && publisher.length > 0,
      ['CHN-004'],
      () => `${who} received message #${p.index} without a publisher identity: ${show(publisher)}`,
    );
    expectModel(
      known === undefined || known === publisher,
      ['CHN-004'],
      () => `message #${p.index} of client${p.client} names publisher ${show(publisher)}, earlier ones ${show(known)}`,
    );
    const owner = this.clientOf.get(publisher);
    expectModel(
      owner === undefined || owner === p.client,
      ['CHN-004'],
      () => `client${p.client} and client${owner} both publish as ${show(publisher)}`,
    );
    this.publisherOf.set(p.client, publisher);
    this.clientOf.set(publisher, p.client);
    expectModel(
      typeof seq === 'number' && Number.isFinite(seq),
      ['CHN-004'],
      () => `${who} received message #${p.index} with sequence ${show(seq)}`,
    );
    const seen = this.seqOf.get(p.index);
    expectModel(
      seen === undefined || seen === seq,
      ['CHN-004'],
      () => `message #${p.index} came with sequence ${seq} here and ${seen} elsewhere`,
    );
    if (seen !== undefined) return;
    for (const [index, other] of this.seqOf) {
      const q = this.publishes[index] as Publish;
      if (q.client !== p.client) continue;
      expectModel(
        q.index < p.index ? other < seq : other > seq,
        ['CHN-004'],
        () =>
          `client${p.client} published #${Math.min(q.index, p.index)} before #${Math.max(q.index, p.index)}, but their sequences are ${q.index < p.index ? `${other} and ${seq}` : `${seq} and ${other}`}`,
      );
    }
    this.seqOf.set(p.index, seq);
  }
}
