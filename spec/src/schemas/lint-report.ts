import { Type, type Static } from '@sinclair/typebox';
import { DurabilityClassSchema, FingerprintSchema, NamedVersionSchema, documentSchema } from './common.js';

/** One linter finding. */
export const DiagnosticSchema = Type.Object(
  {
    rule: Type.String({
      pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
      description: 'Stable kebab-case rule name; docs/rules/<rule>.md explains it.',
    }),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('note')]),
    message: Type.String({ minLength: 1 }),
    file: Type.Optional(Type.String({ minLength: 1 })),
    line: Type.Optional(Type.Integer({ minimum: 1 })),
    column: Type.Optional(Type.Integer({ minimum: 1 })),
    endLine: Type.Optional(Type.Integer({ minimum: 1 })),
    endColumn: Type.Optional(Type.Integer({ minimum: 1 })),
    surfaceId: Type.Optional(Type.String()),
    fix: Type.Optional(Type.String({ description: 'A command or edit that resolves the finding.' })),
  },
  { additionalProperties: false },
);

/** One row of the gap table: an inventory surface whose current class is weaker than its declared one. */
export const DurabilityGapSchema = Type.Object(
  {
    surfaceId: Type.String(),
    declared: DurabilityClassSchema,
    current: DurabilityClassSchema,
    backend: Type.Optional(Type.String({ description: 'The backend the inventory names (current.backend).' })),
    restart: Type.Optional(Type.String({ description: 'What happens on a restart today (current.restart).' })),
    lost: Type.String({ minLength: 1, description: 'What is lost, on which fault, in words.' }),
    losses: Type.Array(
      Type.Object(
        {
          guarantee: Type.Union(
            [
              Type.Literal('survivesProcessKill'),
              Type.Literal('survivesBackendKill'),
              Type.Literal('sharedAcrossReplicas'),
            ],
            { description: 'The guarantee vector field of the taxonomy that the current class does not give.' },
          ),
          lost: Type.String({ minLength: 1 }),
          fault: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    file: Type.Optional(Type.String({ minLength: 1 })),
    line: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** The `--format json` output of `stateproof lint`. */
export const LintReportSchema = documentSchema(
  'lint-report',
  1,
  'stateproof lint report',
  Type.Object(
    {
      reportVersion: Type.Literal(1),
      tool: NamedVersionSchema,
      fingerprint: Type.Optional(FingerprintSchema),
      summary: Type.Object(
        {
          errors: Type.Integer({ minimum: 0 }),
          warnings: Type.Integer({ minimum: 0 }),
          notes: Type.Integer({ minimum: 0 }),
          files: Type.Integer({ minimum: 0 }),
          surfaces: Type.Integer({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      diagnostics: Type.Array(DiagnosticSchema),
      gaps: Type.Optional(
        Type.Array(DurabilityGapSchema, {
          description:
            'Inventory files only: the durability gaps (declared versus current), one per surface the durability-gap rule reports.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Static type of a lint report. */
export type LintReportDocument = Static<typeof LintReportSchema>;
/** Static type of a gap table row. */
export type DurabilityGapDocument = Static<typeof DurabilityGapSchema>;
/** Static type of a diagnostic. */
export type DiagnosticDocument = Static<typeof DiagnosticSchema>;
