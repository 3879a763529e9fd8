import { Type, type Static } from '@sinclair/typebox';
import { DurabilityClassSchema, NamedVersionSchema, documentSchema } from './common.js';

/** Optional features per kind; a feature not claimed must fail with STATEPROOF_UNSUPPORTED. */
export const KIND_FEATURES = {
  record: ['ttl', 'list'],
  log: ['batch', 'retention', 'cursors', 'subscribe'],
  claim: [],
  queue: ['batch', 'priority', 'delay', 'idempotency', 'cancel', 'concurrency', 'maxRuntime'],
  dataspace: ['subscribe', 'glob'],
  channel: ['patterns'],
} as const;

function kindSupport(kind: keyof typeof KIND_FEATURES) {
  const features = KIND_FEATURES[kind];
  return Type.Object(
    {
      classes: Type.Array(DurabilityClassSchema, {
        minItems: 1,
        uniqueItems: true,
        description: 'Classes the adapter claims to certify for this kind.',
      }),
      features: Type.Object(Object.fromEntries(features.map((f) => [f, Type.Optional(Type.Boolean())])), {
        additionalProperties: false,
      }),
    },
    { additionalProperties: false },
  );
}

/** What an adapter declares it supports; the conformance suite checks it both ways. */
export const AdapterCapabilitiesSchema = documentSchema(
  'adapter-capabilities',
  1,
  'stateproof adapter capabilities',
  Type.Object(
    {
      capabilitiesVersion: Type.Literal(1),
      adapter: NamedVersionSchema,
      backend: Type.String({ minLength: 1, description: 'Backend family: memory, sqlite, postgres, redis, …' }),
      clock: Type.Union([Type.Literal('injectable'), Type.Literal('server'), Type.Literal('system')], {
        description: 'Where time comes from; injectable clocks let tests of expiry run without sleeping.',
      }),
      tolerances: Type.Optional(
        Type.Object(
          { expiryMs: Type.Integer({ minimum: 0, description: 'How late an expiry may be observed.' }) },
          { additionalProperties: false },
        ),
      ),
      kinds: Type.Object(
        {
          record: Type.Optional(kindSupport('record')),
          log: Type.Optional(kindSupport('log')),
          claim: Type.Optional(kindSupport('claim')),
          queue: Type.Optional(kindSupport('queue')),
          dataspace: Type.Optional(kindSupport('dataspace')),
          channel: Type.Optional(kindSupport('channel')),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);

/** Static type of adapter capabilities. */
export type AdapterCapabilitiesDocument = Static<typeof AdapterCapabilitiesSchema>;
