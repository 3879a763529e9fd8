import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, channel, type ChannelSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import {
  envelopeCaseArb,
  envelopeRefused,
  expectEnvelopeVerdict,
  foreignEncoded,
  scopeOption,
} from '../common/envelope-case.js';
import { SubscriptionReader } from '../common/subscription-reader.js';
import { READ_TIMEOUT_MS } from './channel-reading.js';

/** Resolves `p`, or `'timeout'` after the read timeout. */
async function within<T>(p: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READ_TIMEOUT_MS)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Messages are delivered verbatim, and a delivered message whose envelope is foreign is refused before it is decoded. */
export const channelEnvelopeProperty: PropertySpec = {
  name: 'channel/envelope',
  kind: 'channel',
  requirements: ['CHN-011'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), fc.boolean(), async (c, text, garbage) => {
      const fixture = await env.fixtures.open((registry) => [
        channel('conformance.envelope', {
          durability: env.cls,
          message: Type.Unknown(),
          ...scopeOption(c),
          registry,
        }) as ChannelSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const store = await fixture.adapter.openChannel!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const raw = new SubscriptionReader(await store.subscribe({ topic: 't' }));
        const typed = await h.subscribe({ topic: 't' });
        await h.publish('t', text);
        const delivered = await raw.read(READ_TIMEOUT_MS);
        expectModel(
          delivered !== 'timeout' && delivered !== 'done',
          ['CHN-001'],
          () => `a subscriber on the adapter itself got ${delivered} instead of the message published`,
        );
        const encoded = delivered.type === 'message' ? delivered.message : undefined;
        expectModel(
          encoded?.endsWith('\n' + JSON.stringify(text)) === true,
          ['CHN-011'],
          () => `the adapter delivered ${show(delivered)} for the message it was given`,
        );
        const good = await within(typed.next());
        expectModel(
          good !== 'timeout',
          ['CHN-001'],
          () => `the typed subscriber received nothing for ${READ_TIMEOUT_MS} ms`,
        );
        expectModel(
          !good.done && good.value.type === 'message' && good.value.message === text,
          ['CHN-011'],
          () => `the typed subscriber got ${show(good)} for ${show(text)}`,
        );
        // A foreign envelope, with a body that would not even parse: the envelope must be refused first.
        const body = garbage && envelopeRefused(c) ? '{"unterminated' : JSON.stringify(text);
        await store.publish('t', foreignEncoded(encoded ?? '', c, body));
        const got = await outcome(async () => {
          const r = await within(typed.next());
          if (r === 'timeout') throw new Error(`the typed subscriber received nothing for ${READ_TIMEOUT_MS} ms`);
          return r;
        });
        expectEnvelopeVerdict(c, got, ['CHN-011'], 'receiving a message');
      } finally {
        await fixture.close();
      }
    }),
};
