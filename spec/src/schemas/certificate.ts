import { Type, type Static } from '@sinclair/typebox';
import { CONFORMANCE_CHECKS, type ConformanceCheck } from '../taxonomy/conformance-check.js';
import { DurabilityClassSchema, NamedVersionSchema, SurfaceKindSchema, documentSchema, embedded } from './common.js';
import { AdapterCapabilitiesSchema } from './adapter-capabilities.js';
import { ProbeResultSchema } from './probe-result.js';

const Status = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('skip')]);

/** How to replay a failure exactly: the fast-check seed and path, and the command replay path. */
export const ReplaySchema = Type.Object(
  {
    seed: Type.Integer(),
    path: Type.Optional(Type.String()),
    replayPath: Type.Optional(Type.String()),
    command: Type.Optional(Type.String({ description: 'A CLI command that replays the failure.' })),
  },
  { additionalProperties: false },
);

/** The verdict on one requirement id of spec/contract. */
export const RequirementResultSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Z]{3}-[0-9]{3}$' }),
    kind: SurfaceKindSchema,
    status: Status,
    properties: Type.Array(Type.String({ minLength: 1 }), {
      description: 'Names of the properties that check this requirement.',
    }),
    reason: Type.Optional(Type.String({ description: 'Why it was skipped, or what failed.' })),
    counterexample: Type.Optional(Type.String({ description: 'The minimal failing command sequence.' })),
    replay: Type.Optional(ReplaySchema),
    durationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** A concurrency check: parallel clients and the linearizability verdict. */
export const ConcurrencyResultSchema = Type.Object(
  {
    kind: SurfaceKindSchema,
    name: Type.String({ minLength: 1 }),
    clients: Type.Integer({ minimum: 1 }),
    operations: Type.Integer({ minimum: 0 }),
    status: Status,
    linearizable: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'null when the checker gave up (timeout).',
    }),
    reason: Type.Optional(Type.String()),
    durationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** One of the taxonomy's conformance check families (model, reopen, process-crash, …). */
export const ConformanceCheckSchema = Type.Union(
  (Object.keys(CONFORMANCE_CHECKS) as ConformanceCheck[]).map((c) => Type.Literal(c)),
  { description: 'A conformance check family of the taxonomy (spec/src/taxonomy/conformance-check.ts).' },
);

/** Whether one check family a class requires ran and passed for one kind. */
export const ClassCheckSchema = Type.Object(
  {
    check: ConformanceCheckSchema,
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('missing')], {
      description: 'pass: ran in full and passed; fail: something in it failed; missing: not run, or only in part.',
    }),
    detail: Type.String({
      description: 'What ran (e.g. "14 of 14 properties passed"), or what is owed and how to run it.',
    }),
  },
  { additionalProperties: false },
);

/**
 * The verdict on one class for one kind: certified only when every check the taxonomy requires for
 * the class ran and passed; partial when nothing failed but some check is missing; fail otherwise.
 */
export const ClassVerdictSchema = Type.Object(
  {
    class: DurabilityClassSchema,
    kind: SurfaceKindSchema,
    verdict: Type.Union([Type.Literal('certified'), Type.Literal('partial'), Type.Literal('fail')]),
    checks: Type.Array(ClassCheckSchema, { description: 'Every check family the taxonomy requires for the class.' }),
    missing: Type.Array(ConformanceCheckSchema, { description: 'The required checks that did not run in full.' }),
  },
  { additionalProperties: false },
);

/** A crash-and-restart scenario and what it found. */
export const CrashResultSchema = Type.Object(
  {
    scenario: Type.String({ minLength: 1 }),
    class: Type.Optional(DurabilityClassSchema),
    kinds: Type.Array(SurfaceKindSchema),
    kills: Type.Integer({ minimum: 0 }),
    acknowledged: Type.Integer({ minimum: 0, description: 'Operations acknowledged to the harness before the kills.' }),
    status: Status,
    violations: Type.Array(Type.String()),
    durationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** A conformance certificate: what was run against which adapter and backend, and the verdicts. */
export const CertificateSchema = documentSchema(
  'certificate',
  2,
  'stateproof conformance certificate',
  Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      certificateVersion: Type.Literal(2, {
        description: 'Version 2: per-class verdicts certified | partial | fail with the missing checks.',
      }),
      specVersion: Type.String({ minLength: 1 }),
      tool: NamedVersionSchema,
      adapter: Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          version: Type.String({ minLength: 1 }),
          module: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      backend: Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          version: Type.Optional(Type.String()),
          settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      capabilities: embedded(AdapterCapabilitiesSchema),
      probe: Type.Optional(embedded(ProbeResultSchema)),
      run: Type.Object(
        {
          seed: Type.Integer(),
          runs: Type.Integer({ minimum: 1 }),
          kinds: Type.Array(SurfaceKindSchema),
          classes: Type.Array(DurabilityClassSchema),
          startedAt: Type.String({ format: 'date-time' }),
          finishedAt: Type.String({ format: 'date-time' }),
          durationMs: Type.Number({ minimum: 0 }),
          node: Type.String(),
          platform: Type.String(),
        },
        { additionalProperties: false },
      ),
      verdict: Type.Union([Type.Literal('certified'), Type.Literal('partial'), Type.Literal('fail')], {
        description: 'certified: every class of the run is certified; fail: something failed; partial otherwise.',
      }),
      classes: Type.Array(ClassVerdictSchema),
      requirements: Type.Array(RequirementResultSchema),
      concurrency: Type.Array(ConcurrencyResultSchema),
      crash: Type.Array(CrashResultSchema),
    },
    { additionalProperties: false },
  ),
);

/** Static type of a class verdict. */
export type ClassVerdict = Static<typeof ClassVerdictSchema>;

/** Static type of a certificate. */
export type CertificateDocument = Static<typeof CertificateSchema>;
