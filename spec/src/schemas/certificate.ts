import { Type, type Static } from '@sinclair/typebox';
import { CONFORMANCE_CHECKS, type ConformanceCheck } from '../taxonomy/conformance-check.js';
import { DurabilityClassSchema, NamedVersionSchema, SurfaceKindSchema, documentSchema, embedded } from './common.js';
import { AdapterCapabilitiesSchema } from './adapter-capabilities.js';
import { ProbeResultSchema } from './probe-result.js';

const Status = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('skip')]);

/** How to replay a failure exactly: the fast-check seed and path, and the command replay path. */
export const ReplaySchema = Type.Object(
  {
    /** The fast-check seed of the failing run. */
    seed: Type.Integer(),
    /** fast-check's path to the shrunk counterexample. */
    path: Type.Optional(Type.String()),
    /** The path of the shrunk command sequence, for model properties (fast-check's `replayPath`). */
    replayPath: Type.Optional(Type.String()),
    /** A CLI command that replays the failure. */
    command: Type.Optional(Type.String({ description: 'A CLI command that replays the failure.' })),
  },
  { additionalProperties: false },
);

/** The verdict on one requirement id of spec/contract. */
export const RequirementResultSchema = Type.Object(
  {
    /** The requirement id, e.g. `REC-001`. */
    id: Type.String({ pattern: '^[A-Z]{3}-[0-9]{3}$' }),
    /** The kind the requirement is about. */
    kind: SurfaceKindSchema,
    /** pass, fail, or skip when it was not checked. */
    status: Status,
    /** Names of the properties that check this requirement. */
    properties: Type.Array(Type.String({ minLength: 1 }), {
      description: 'Names of the properties that check this requirement.',
    }),
    /** Why it was skipped, or what failed. */
    reason: Type.Optional(Type.String({ description: 'Why it was skipped, or what failed.' })),
    /** The minimal failing command sequence. */
    counterexample: Type.Optional(Type.String({ description: 'The minimal failing command sequence.' })),
    /** How to replay the failure, when there is one. */
    replay: Type.Optional(ReplaySchema),
    /** Time spent, in milliseconds. */
    durationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** A concurrency check: parallel clients and the linearizability verdict. */
export const ConcurrencyResultSchema = Type.Object(
  {
    /** The kind under test. */
    kind: SurfaceKindSchema,
    /** The property that checked it, with its class, e.g. `record-cas [durable-single]`. */
    name: Type.String({ minLength: 1 }),
    /** Number of parallel clients. */
    clients: Type.Integer({ minimum: 1 }),
    /** Number of operations in the recorded history. */
    operations: Type.Integer({ minimum: 0 }),
    /** pass or fail (a skipped property is not listed). */
    status: Status,
    /** Whether the history is linearizable; null when the checker gave up (timeout). */
    linearizable: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'null when the checker gave up (timeout).',
    }),
    /** Why it failed or was skipped. */
    reason: Type.Optional(Type.String()),
    /** Time spent, in milliseconds. */
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
    /** The check family. */
    check: ConformanceCheckSchema,
    /** pass: ran in full and passed; fail: something in it failed; missing: not run, or only in part. */
    status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('missing')], {
      description: 'pass: ran in full and passed; fail: something in it failed; missing: not run, or only in part.',
    }),
    /** What ran (e.g. "14 of 14 properties passed"), or what is owed and how to run it. */
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
    /** The class judged. */
    class: DurabilityClassSchema,
    /** The kind it is judged for. */
    kind: SurfaceKindSchema,
    /** certified, partial (nothing failed, something missing) or fail. */
    verdict: Type.Union([Type.Literal('certified'), Type.Literal('partial'), Type.Literal('fail')]),
    /** Every check family the taxonomy requires for the class. */
    checks: Type.Array(ClassCheckSchema, { description: 'Every check family the taxonomy requires for the class.' }),
    /** The required checks that did not run in full. */
    missing: Type.Array(ConformanceCheckSchema, { description: 'The required checks that did not run in full.' }),
  },
  { additionalProperties: false },
);

/** A crash-and-restart scenario and what it found. */
export const CrashResultSchema = Type.Object(
  {
    /** The scenario, e.g. `process-kill/record`. */
    scenario: Type.String({ minLength: 1 }),
    /** The class the scenario checks, when it checks one. */
    class: Type.Optional(DurabilityClassSchema),
    /** The kinds under test. */
    kinds: Type.Array(SurfaceKindSchema),
    /** The kills the scenario made: of worker processes in the crash harness's scenarios (their backend kills are `backendKills`), of the server in a `backend-outage/…` one. */
    kills: Type.Integer({
      minimum: 0,
      description:
        "The kills the scenario made: of worker processes in the crash harness's scenarios (their backend kills are `backendKills`), of the server in a `backend-outage/…` one.",
    }),
    /** How many times the backend server was killed (SIGKILL) and restarted during the run (absent: none, or not counted). */
    backendKills: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'How many times the backend server was killed (SIGKILL) and restarted during the run (absent: none, or not counted).',
      }),
    ),
    /** Operations acknowledged to the harness before the kills. */
    acknowledged: Type.Integer({ minimum: 0, description: 'Operations acknowledged to the harness before the kills.' }),
    /** The class check families the scenario decides (process-crash, and backend-crash after a backend kill). */
    checks: Type.Optional(
      Type.Array(ConformanceCheckSchema, {
        description:
          'The class check families the scenario decides (process-crash, and backend-crash after a backend kill).',
      }),
    ),
    /** How many violations the checks found (`violations` lists at most the first 50). */
    violationCount: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'How many violations the checks found (`violations` lists at most the first 50).',
      }),
    ),
    /** The seed of the run, which replays its workload and kill schedule. */
    seed: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The seed of the run, which replays its workload and kill schedule.' }),
    ),
    /** pass or fail (skip when it did not run). */
    status: Status,
    /** What the checks after restart found broken; empty when it passed. */
    violations: Type.Array(Type.String()),
    /** Time spent, in milliseconds. */
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
      /** The URL of this schema, for editors. */
      $schema: Type.Optional(Type.String()),
      /** Version 2: per-class verdicts certified | partial | fail with the missing checks. */
      certificateVersion: Type.Literal(2, {
        description: 'Version 2: per-class verdicts certified | partial | fail with the missing checks.',
      }),
      /** The version of @stateproof/spec the suite checked against. */
      specVersion: Type.String({ minLength: 1 }),
      /** The tool that wrote the certificate (@stateproof/conformance and its version). */
      tool: NamedVersionSchema,
      /** The adapter under test. */
      adapter: Type.Object(
        {
          /** The adapter's name. */
          name: Type.String({ minLength: 1 }),
          /** The adapter's version. */
          version: Type.String({ minLength: 1 }),
          /** The module the adapter was loaded from, for `--adapter ./module.js`. */
          module: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
      /** The backend it ran against. */
      backend: Type.Object(
        {
          /** The backend's name. */
          name: Type.String({ minLength: 1 }),
          /** The backend's version, when it reports one. */
          version: Type.Optional(Type.String()),
          /** Backend settings for the certificate (host, durability settings, …). */
          settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      /** What the adapter declared it supports. */
      capabilities: embedded(AdapterCapabilitiesSchema),
      /** The probe of the backend: which classes its settings can hold. */
      probe: Type.Optional(embedded(ProbeResultSchema)),
      /** How the run was made. */
      run: Type.Object(
        {
          /** The run seed; each property's seed derives from it. */
          seed: Type.Integer(),
          /** fast-check runs per property. */
          runs: Type.Integer({ minimum: 1 }),
          /** The kinds checked. */
          kinds: Type.Array(SurfaceKindSchema),
          /** The classes checked. */
          classes: Type.Array(DurabilityClassSchema),
          /** When the run started (ISO 8601). */
          startedAt: Type.String({ format: 'date-time' }),
          /** When the run finished (ISO 8601). */
          finishedAt: Type.String({ format: 'date-time' }),
          /** Time spent, in milliseconds. */
          durationMs: Type.Number({ minimum: 0 }),
          /** The Node.js version (`process.version`). */
          node: Type.String(),
          /** Platform and architecture, e.g. `linux-x64`. */
          platform: Type.String(),
        },
        { additionalProperties: false },
      ),
      /** certified: every class of the run is certified; fail: something failed; partial otherwise. */
      verdict: Type.Union([Type.Literal('certified'), Type.Literal('partial'), Type.Literal('fail')], {
        description: 'certified: every class of the run is certified; fail: something failed; partial otherwise.',
      }),
      /** The verdict per class and kind. */
      classes: Type.Array(ClassVerdictSchema),
      /** The verdict per requirement of spec/contract. */
      requirements: Type.Array(RequirementResultSchema),
      /** The concurrency checks. */
      concurrency: Type.Array(ConcurrencyResultSchema),
      /** The crash-and-restart scenarios. */
      crash: Type.Array(CrashResultSchema),
    },
    { additionalProperties: false },
  ),
);

/** Static type of a class verdict. */
export type ClassVerdict = Static<typeof ClassVerdictSchema>;

/** Static type of a certificate. */
export type CertificateDocument = Static<typeof CertificateSchema>;
