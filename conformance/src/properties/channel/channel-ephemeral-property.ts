import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { channel, createRegistry } from '@stateproof/core';
import { DURABILITY_CLASSES } from '@stateproof/spec';
import { ChannelModel } from '../../models/channel-model.js';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel } from './channel-fixture.js';
import { publisher, settle, watch } from './channel-reading.js';

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
    fc.asyncProperty(
      fc.constantFrom(...DURABILITY_CLASSES.filter((c) => c !== 'ephemeral')),
      fc.integer({ min: 1, max: 4 }),
      async (cls, n) => {
        const declared = await outcome(async () =>
          channel('conformance.durable-channel', {
            durability: cls,
            message: Type.Unknown(),
            registry: createRegistry(),
          }),
        );
        expectModel(
          !declared.ok && declared.code === 'STATEPROOF_CLASS_NOT_ALLOWED',
          ['CHN-008'],
          () => `declaring a ${cls} channel gave ${describeOutcome(declared)}`,
        );
        const fixture = await env.fixtures.open((registry) => [
          defineChannel(registry, env.cls, 'conformance.ephemeral'),
        ]);
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
      },
    ),
};
