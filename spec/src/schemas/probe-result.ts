import { Type, type Static } from '@sinclair/typebox';
import { DurabilityClassSchema, NamedVersionSchema, documentSchema } from './common.js';

/** What `probe()` found in the live backend, and the classes it can honestly certify, with reasons. */
export const ProbeResultSchema = documentSchema(
  'probe-result',
  1,
  'stateproof probe result',
  Type.Object(
    {
      probeVersion: Type.Literal(1),
      adapter: NamedVersionSchema,
      backend: Type.Object(
        { name: Type.String({ minLength: 1 }), version: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
      at: Type.String({ format: 'date-time' }),
      settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
        description: 'Backend settings read by the probe (journal_mode, fsync, appendfsync, …).',
      }),
      classes: Type.Array(
        Type.Object(
          {
            class: DurabilityClassSchema,
            certified: Type.Boolean(),
            reasons: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Static type of a probe result. */
export type ProbeResultDocument = Static<typeof ProbeResultSchema>;
