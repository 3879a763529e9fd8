import { Type, type Static } from '@sinclair/typebox';
import { DurabilityClassSchema, NamedVersionSchema, documentSchema } from './common.js';

/** Optional features per kind; a feature not claimed must fail with STATEPROOF_UNSUPPORTED. */
export const KIND_FEATURES = {
  /** Record features: expiry (ttl) and listing entries. */
  record: ['ttl', 'list'],
  /** Log features: batch appends, retention, stored consumer cursors and live subscriptions. */
  log: ['batch', 'retention', 'cursors', 'subscribe'],
  /** Claims have no optional features. */
  claim: [],
  /**
   * Queue features: batch enqueue, priority, delayed tasks, idempotency keys, cancellation, concurrency limits and a
   * maximum run time.
   */
  queue: ['batch', 'priority', 'delay', 'idempotency', 'cancel', 'concurrency', 'maxRuntime'],
  /** Dataspace features: live subscriptions and glob filters on assertion ids. */
  dataspace: ['subscribe', 'glob'],
  /** Channel features: subscribing by topic pattern. */
  channel: ['patterns'],
} as const;

function kindSupport(kind: keyof typeof KIND_FEATURES) {
  const features = KIND_FEATURES[kind];
  return Type.Object(
    {
      /** Classes the adapter claims to certify for this kind. */
      classes: Type.Array(DurabilityClassSchema, {
        minItems: 1,
        uniqueItems: true,
        description: 'Classes the adapter claims to certify for this kind.',
      }),
      /** The optional features of `KIND_FEATURES` the adapter claims for this kind (true when claimed). */
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
      /** Version of this document format. */
      capabilitiesVersion: Type.Literal(1),
      /** The adapter package and its version. */
      adapter: NamedVersionSchema,
      /** Backend family: memory, sqlite, postgres, redis, … */
      backend: Type.String({ minLength: 1, description: 'Backend family: memory, sqlite, postgres, redis, …' }),
      /** Where time comes from; an injectable clock lets tests of expiry run without sleeping. */
      clock: Type.Union([Type.Literal('injectable'), Type.Literal('server'), Type.Literal('system')], {
        description: 'Where time comes from; injectable clocks let tests of expiry run without sleeping.',
      }),
      /** Timing tolerances the conformance suite allows this adapter. */
      tolerances: Type.Optional(
        Type.Object(
          {
            /** How late an expiry may be observed, in milliseconds. */
            expiryMs: Type.Integer({ minimum: 0, description: 'How late an expiry may be observed.' }),
          },
          { additionalProperties: false },
        ),
      ),
      /** What the adapter supports per kind; a kind left out is not supported. */
      kinds: Type.Object(
        {
          /** Record support. */
          record: Type.Optional(kindSupport('record')),
          /** Log support. */
          log: Type.Optional(kindSupport('log')),
          /** Claim support. */
          claim: Type.Optional(kindSupport('claim')),
          /** Queue support. */
          queue: Type.Optional(kindSupport('queue')),
          /** Dataspace support. */
          dataspace: Type.Optional(kindSupport('dataspace')),
          /** Channel support. */
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
