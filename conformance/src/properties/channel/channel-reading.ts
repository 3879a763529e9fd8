import type { ChannelHandle, ChannelView, Subscription } from '@stateproof/core';
import {
  selects,
  topicSelectedBy,
  type ChannelMessage,
  type ChannelModel,
  type Selector,
} from '../../models/channel-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import { SubscriptionReader } from '../common/subscription-reader.js';

/** How long a read may wait for an event the model expects before the subscriber counts as deaf (failure path only). */
export const READ_TIMEOUT_MS = 2000;

/** A buffer no property run can fill: any drop from it is a loss. */
export const AMPLE_BUFFER = 512;

/** One subscription under test: its id in the model, the subscription, and a reader over it. */
export interface Watched {
  readonly id: number;
  readonly sub: Subscription<ChannelView<unknown>>;
  readonly reader: SubscriptionReader<ChannelView<unknown>>;
  readonly bufferSize: number;
}

/** Publishes a message from one client, recording it in the model first; resolves to the message sent. */
export type PublishFn = (client: number, topic: string, body: unknown) => Promise<ChannelMessage>;

/** A {@link PublishFn} over one handle per client; a publish that does not complete within the read timeout is a blocked publisher. */
export function publisher(model: ChannelModel, clients: readonly ChannelHandle<unknown>[]): PublishFn {
  return async (client, topic, body) => {
    const message = model.publish(client, topic, body);
    const handle = clients[client] as ChannelHandle<unknown>;
    let timer: NodeJS.Timeout | undefined;
    const blocked = new Promise<'blocked'>(
      (resolve) => (timer = setTimeout(() => resolve('blocked'), READ_TIMEOUT_MS)),
    );
    const r = await Promise.race([handle.publish(topic, message), blocked]).finally(() => clearTimeout(timer));
    expectModel(
      r !== 'blocked',
      ['CHN-006'],
      () =>
        `client${client}.publish(${show(topic)}) did not complete within ${READ_TIMEOUT_MS} ms: publishers must never wait for subscribers`,
    );
    return message;
  };
}

/** Subscribes through `handle` and registers the subscription with the model, live once `subscribe` resolved. */
export async function watch(
  model: ChannelModel,
  handle: ChannelHandle<unknown>,
  client: number,
  selector: Selector,
  bufferSize = AMPLE_BUFFER,
): Promise<Watched> {
  const id = model.beginSubscribe(client, selector, bufferSize);
  try {
    const sub = await handle.subscribe(selector, { bufferSize });
    model.live(id);
    return { id, sub, reader: new SubscriptionReader(sub), bufferSize };
  } catch (error) {
    model.close(id);
    throw error;
  }
}

/** Reads one event the model expects, failing when the subscriber stays silent or ends. */
async function readOne(model: ChannelModel, w: Watched): Promise<ChannelView<unknown>> {
  const e = await w.reader.read(READ_TIMEOUT_MS);
  expectModel(
    e !== 'timeout',
    model.missingRequirements(w.id),
    () =>
      `${model.describe(w.id)} received nothing for ${READ_TIMEOUT_MS} ms while it still waits for ${model.pendingSummary(w.id)}`,
  );
  expectModel(
    e !== 'done',
    ['CHN-001'],
    () => `${model.describe(w.id)} ended while it still waits for ${model.pendingSummary(w.id)}`,
  );
  model.checkEvent(w.id, e);
  return e;
}

/** Reads until every message the subscriber must receive has come (each event checked by the model). */
export async function drain(model: ChannelModel, w: Watched): Promise<void> {
  while (model.missing(w.id) > 0) await readOne(model, w);
}

/**
 * Settles a subscriber: afterwards every message routed to it was received or announced as lost, the
 * announced drops add up exactly, and nothing else came. A marker from each client closes out that
 * client's messages (per-publisher order puts any stray before it, and its arrival resolves every
 * earlier message of that client). A new marker goes out when the latest message the subscriber
 * must receive has come (the rest were lost, are late, or were published while it opened and may
 * never come), or after a buffer's worth of reads (then the latest was lost too, and the buffer has
 * room again). A correct subscriber thus never leaves a read waiting: the timeout is only a failure
 * path.
 */
export async function settle(
  model: ChannelModel,
  w: Watched,
  publish: PublishFn,
  clients: readonly number[],
): Promise<void> {
  const selector = model.selectorOf(w.id);
  const topic = topicSelectedBy(selector);
  if (!selects(selector, topic)) throw new Error(`internal: no marker topic for ${show(selector)}`);
  const needed = new Set(clients);
  const markers = new Map<number, number>();
  let readsSincePublish = 0;
  while (!(model.settled(w.id) && needed.size === 0)) {
    const unresolved = model.unresolved(w.id);
    if (unresolved.length === 0 || readsSincePublish >= w.bufferSize || model.latestResolved(w.id)) {
      const client = unresolved[0] ?? ([...needed][0] as number);
      expectModel(
        markers.size < 4 * clients.length + 20,
        ['CHN-006'],
        () =>
          `${model.describe(w.id)} never caught up: ${markers.size} markers later it still waits for ${model.pendingSummary(w.id)}`,
      );
      const m = await publish(client, topic, 'marker');
      markers.set(m.id, client);
      readsSincePublish = 0;
    }
    const e = await readOne(model, w);
    readsSincePublish++;
    if (e.type === 'message') {
      const client = markers.get((e.message as ChannelMessage).id);
      if (client !== undefined) needed.delete(client);
    }
  }
}

/** Checks that a closed subscription yields nothing more: its next read ends with done. */
export async function expectEnded(model: ChannelModel, w: Watched): Promise<void> {
  const e = await w.reader.read(READ_TIMEOUT_MS);
  expectModel(
    e === 'done',
    ['CHN-007'],
    () =>
      `${model.describe(w.id)} was closed, but a read gave ${e === 'timeout' ? `nothing for ${READ_TIMEOUT_MS} ms instead of done` : show(e)}`,
  );
}

/**
 * Closes a subscription while a read is pending on it, then expects that read to end (the caller
 * then expects done). An event that was already on its way is checked by the model, so a stray is
 * reported as what it is.
 */
export async function closeWhileReading(model: ChannelModel, w: Watched): Promise<void> {
  const pending = w.reader.read(READ_TIMEOUT_MS);
  await w.sub.close();
  const e = await pending;
  if (e !== 'done' && e !== 'timeout') model.checkEvent(w.id, e);
  model.close(w.id);
  expectModel(
    e !== 'timeout',
    ['CHN-007'],
    () => `a read pending when ${model.describe(w.id)} closed gave nothing for ${READ_TIMEOUT_MS} ms instead of done`,
  );
}
