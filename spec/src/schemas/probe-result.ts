import { Type, type Static } from '@sinclair/typebox';
import { FAULTS } from '../taxonomy/class-faults.js';
import { DurabilityClassSchema, NamedVersionSchema, documentSchema } from './common.js';

const FaultSchema = Type.Union(
  FAULTS.map((f) => Type.Literal(f)),
  { description: 'A fault a class is judged against (spec/contract/README.md, "Faults each class must survive").' },
);

const FaultOutcomeSchema = Type.Union(
  [Type.Literal('no-loss'), Type.Literal('loses-recent'), Type.Literal('loses-all')],
  { description: 'What the backend, as configured, does on the fault.' },
);

/** What `probe()` found in the live backend, and the classes it can honestly certify, with reasons. */
export const ProbeResultSchema = documentSchema(
  'probe-result',
  1,
  'stateproof probe result',
  Type.Object(
    {
      /** Version of this document format. */
      probeVersion: Type.Literal(1),
      /** The adapter that probed, and its version. */
      adapter: NamedVersionSchema,
      /** The backend probed. */
      backend: Type.Object(
        {
          /** The backend's name, e.g. `postgres`. */
          name: Type.String({ minLength: 1 }),
          /** The server or library version, when it reports one. */
          version: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      /** When the probe ran (ISO 8601). */
      at: Type.String({ format: 'date-time' }),
      /** Backend settings read by the probe (journal_mode, fsync, appendfsync, …). */
      settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
        description: 'Backend settings read by the probe (journal_mode, fsync, appendfsync, …).',
      }),
      /** What the settings lose on each fault; a class is certifiable when they meet every demand of CLASS_FAULTS. */
      faults: Type.Optional(
        Type.Object(
          {
            /** What a kill of the application process loses. */
            'process-kill': FaultOutcomeSchema,
            /** What a kill of the backend server loses. */
            'backend-kill': FaultOutcomeSchema,
            /** What a crash or power loss of the backend's host loses. */
            'os-crash': FaultOutcomeSchema,
          },
          {
            additionalProperties: false,
            description:
              'What the settings lose on each fault; a class is certifiable when they meet every demand of CLASS_FAULTS.',
          },
        ),
      ),
      /** The verdict on each class. */
      classes: Type.Array(
        Type.Object(
          {
            /** The class. */
            class: DurabilityClassSchema,
            /** Whether the backend, as configured, can hold the class. */
            certified: Type.Boolean(),
            /** Why, in words that name the settings. */
            reasons: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
            /** The faults on which the backend falls short of the class. */
            unmet: Type.Optional(
              Type.Array(FaultSchema, { description: 'The faults on which the backend falls short of the class.' }),
            ),
            /** The changes that would make the class certifiable, when it is not. */
            fixes: Type.Optional(
              Type.Array(Type.String({ minLength: 1 }), {
                description: 'The changes that would make the class certifiable, when it is not.',
              }),
            ),
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
