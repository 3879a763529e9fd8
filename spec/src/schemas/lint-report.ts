import { Type, type Static } from '@sinclair/typebox';
import { DurabilityClassSchema, FingerprintSchema, NamedVersionSchema, documentSchema } from './common.js';

/** One linter finding. */
export const DiagnosticSchema = Type.Object(
  {
    /** Stable kebab-case rule name; docs/rules/<rule>.md explains it. */
    rule: Type.String({
      pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
      description: 'Stable kebab-case rule name; docs/rules/<rule>.md explains it.',
    }),
    /** How serious the finding is: error, warning or note. */
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('note')]),
    /** What is wrong, in words. */
    message: Type.String({ minLength: 1 }),
    /** The file, relative to the project root, when the finding has one. */
    file: Type.Optional(Type.String({ minLength: 1 })),
    /** 1-based start line. */
    line: Type.Optional(Type.Integer({ minimum: 1 })),
    /** 1-based start column. */
    column: Type.Optional(Type.Integer({ minimum: 1 })),
    /** 1-based end line. */
    endLine: Type.Optional(Type.Integer({ minimum: 1 })),
    /** 1-based end column. */
    endColumn: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The surface the finding is about, when there is one. */
    surfaceId: Type.Optional(Type.String()),
    /** A command or edit that resolves the finding. */
    fix: Type.Optional(Type.String({ description: 'A command or edit that resolves the finding.' })),
  },
  { additionalProperties: false },
);

/** One row of the gap table: an inventory surface whose current class is weaker than its declared one. */
export const DurabilityGapSchema = Type.Object(
  {
    /** The surface. */
    surfaceId: Type.String(),
    /** The class the inventory declares. */
    declared: DurabilityClassSchema,
    /** The class the surface has today. */
    current: DurabilityClassSchema,
    /** The backend the inventory names (current.backend). */
    backend: Type.Optional(Type.String({ description: 'The backend the inventory names (current.backend).' })),
    /** What happens on a restart today (current.restart). */
    restart: Type.Optional(Type.String({ description: 'What happens on a restart today (current.restart).' })),
    /** What is lost, on which fault, in words. */
    lost: Type.String({ minLength: 1, description: 'What is lost, on which fault, in words.' }),
    /** The same, one row per guarantee the current class does not give. */
    losses: Type.Array(
      Type.Object(
        {
          /** The guarantee vector field of the taxonomy that the current class does not give. */
          guarantee: Type.Union(
            [
              Type.Literal('survivesProcessKill'),
              Type.Literal('survivesBackendKill'),
              Type.Literal('sharedAcrossReplicas'),
            ],
            { description: 'The guarantee vector field of the taxonomy that the current class does not give.' },
          ),
          /** What is lost, in words. */
          lost: Type.String({ minLength: 1 }),
          /** On which fault or condition. */
          fault: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** The inventory file. */
    file: Type.Optional(Type.String({ minLength: 1 })),
    /** 1-based line of the surface in it. */
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
      /** Version of this document format. */
      reportVersion: Type.Literal(1),
      /** The linter and its version. */
      tool: NamedVersionSchema,
      /** The fingerprint of the surfaces found; absent when the input was unusable. */
      fingerprint: Type.Optional(FingerprintSchema),
      /** Counts. */
      summary: Type.Object(
        {
          /** Diagnostics of severity error. */
          errors: Type.Integer({ minimum: 0 }),
          /** Diagnostics of severity warning. */
          warnings: Type.Integer({ minimum: 0 }),
          /** Diagnostics of severity note. */
          notes: Type.Integer({ minimum: 0 }),
          /** Files read. */
          files: Type.Integer({ minimum: 0 }),
          /** Surfaces found. */
          surfaces: Type.Integer({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      /** The findings. */
      diagnostics: Type.Array(DiagnosticSchema),
      /**
       * Inventory files only: the durability gaps (declared versus current), one per surface the durability-gap rule
       * reports.
       */
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
