import type { ChannelEvent, ChannelSelector, ChannelStore } from '../../adapter/channel-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { compileGlob } from '../../scope/glob.js';
import { validateKey } from '../../scope/validate-key.js';
import { mapSubscription } from '../../subscription/map-subscription.js';
import type { Subscription } from '../../subscription/subscription.js';
import { optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';

/** What a typed channel subscription yields. */
export type ChannelView<T> =
  | {
      /** A published message. */
      readonly type: 'message';
      /** The topic it was published on. */
      readonly topic: string;
      /** The message, decoded. */
      readonly message: T;
      /** Identity of the publishing store instance. */
      readonly publisher: string;
      /** Per-publisher sequence, increasing in publish order. */
      readonly seq: number;
    }
  | {
      /** Messages were missed: the buffer overflowed, or the connection to the backend was lost. */
      readonly type: 'lagged';
      /** How many, or 0 when the number is unknown. */
      readonly dropped: number;
    };

/** Typed access to a channel surface (spec/contract/channel.md): at-most-once broadcast. */
export class ChannelHandle<T> {
  /** @internal */
  constructor(private readonly ctx: HandleContext<ChannelStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  /** Publishes to every live subscriber of `topic` on every replica sharing the backend. */
  async publish(topic: string, message: T): Promise<void> {
    validateKey(topic, 'topic');
    const encoded = this.ctx.codec<T>('message').encode(message);
    return (await this.ctx.store()).publish(topic, encoded);
  }

  /** Subscribes by exact topic or by pattern (`*`, `?`, `\` escapes); resolves once live. */
  async subscribe(
    selector: ChannelSelector,
    options?: { readonly bufferSize?: number },
  ): Promise<Subscription<ChannelView<T>>> {
    const s = optionObject(selector, 'selector', ['topic', 'pattern']);
    let checked: ChannelSelector;
    if (s['topic'] !== undefined && s['pattern'] === undefined) {
      validateKey(s['topic'], 'selector.topic');
      checked = { topic: s['topic'] };
    } else if (s['pattern'] !== undefined && s['topic'] === undefined) {
      validateKey(s['pattern'], 'selector.pattern');
      compileGlob(s['pattern'], 'selector.pattern');
      checked = { pattern: s['pattern'] };
    } else {
      throw new InvalidOptionsError('selector must be { topic } or { pattern }', { path: 'selector' });
    }
    const bufferSize = optionalInt(optionObject(options, '', ['bufferSize'])['bufferSize'], 'bufferSize', {
      max: 1_000_000,
    });
    const inner = await (await this.ctx.store()).subscribe(checked, bufferSize === undefined ? {} : { bufferSize });
    return mapSubscription(inner, (e: ChannelEvent): ChannelView<T> =>
      e.type === 'message' ? { ...e, message: this.ctx.codec<T>('message').decode(e.message) } : e,
    );
  }
}
