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
      faults: Type.Optional(
        Type.Object(
          { 'process-kill': FaultOutcomeSchema, 'backend-kill': FaultOutcomeSchema, 'os-crash': FaultOutcomeSchema },
          {
            additionalProperties: false,
            description:
              'What the settings lose on each fault; a class is certifiable when they meet every demand of CLASS_FAULTS.',
          },
        ),
      ),
      classes: Type.Array(
        Type.Object(
          {
            class: DurabilityClassSchema,
            certified: Type.Boolean(),
            reasons: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
            unmet: Type.Optional(
              Type.Array(FaultSchema, { description: 'The faults on which the backend falls short of the class.' }),
            ),
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
