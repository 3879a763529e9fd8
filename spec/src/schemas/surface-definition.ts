import { Type, type Static } from '@sinclair/typebox';
import {
  DurabilityClassSchema,
  DurationMsSchema,
  JsonSchemaSchema,
  SourceLocationSchema,
  SurfaceIdSchema,
  SurfaceKindSchema,
  documentSchema,
} from './common.js';

/** Queue retry policy: attempts and the pinned capped exponential backoff with jitter (QUE contract). */
export const RetryPolicySchema = Type.Object(
  {
    /** Attempts in all, the first included. */
    maxAttempts: Type.Integer({ minimum: 1, maximum: 1000, description: 'Attempts in all, the first included.' }),
    /** Delay after the first failed attempt, before jitter. */
    baseDelayMs: Type.Integer({ minimum: 0, description: 'Delay after the first failed attempt, before jitter.' }),
    /** Growth of the delay per failed attempt. */
    factor: Type.Number({ minimum: 1, maximum: 10, description: 'Growth per failed attempt.' }),
    /** Cap of the delay, before jitter. */
    maxDelayMs: Type.Integer({ minimum: 0, description: 'Cap of the delay, before jitter.' }),
    /** Fraction of the delay that is randomised downwards. */
    jitter: Type.Number({ minimum: 0, maximum: 1, description: 'Fraction of the delay that is randomised downwards.' }),
  },
  { additionalProperties: false },
);

/** Size and retention bounds of a surface. */
export const SurfaceBoundsSchema = Type.Object(
  {
    /** Largest encoded value, in UTF-8 bytes. */
    maxValueBytes: Type.Integer({ minimum: 1, description: 'Largest encoded value, in UTF-8 bytes.' }),
    /** Records: default time to live, in milliseconds. */
    ttlMs: Type.Optional(DurationMsSchema),
    /** Log retention by count, per stream. */
    maxEntries: Type.Optional(Type.Integer({ minimum: 1, description: 'Log retention by count, per stream.' })),
    /** Log retention by age, in milliseconds. */
    maxAgeMs: Type.Optional(DurationMsSchema),
    /** Queue attempts kept beside each task. */
    attemptHistory: Type.Optional(Type.Integer({ minimum: 1, description: 'Queue attempts kept beside each task.' })),
    /** Queues: how long a finished task (with its history, result and idempotency key) is kept after it finished, in milliseconds; absent means the default of 7 days. */
    finishedRetentionMs: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Queues: how long a finished task (with its history, result and idempotency key) is kept after it finished, in milliseconds; absent means the default of 7 days.',
      }),
    ),
    /** Dataspaces: how long a closed or expired session is kept after it ended, in milliseconds; absent means the default of 1 hour. */
    endedSessionRetentionMs: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Dataspaces: how long a closed or expired session is kept after it ended, in milliseconds; absent means the default of 1 hour.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Behavioural options of a surface; which apply depends on the kind. */
export const SurfaceOptionsSchema = Type.Object(
  {
    /** Telemetry logs only: the emit buffer and its drop policy. */
    telemetry: Type.Optional(
      Type.Object(
        {
          /** Entries the emit buffer holds before it drops (default 10 000). */
          buffer: Type.Integer({
            minimum: 1,
            maximum: 1_000_000,
            description: 'Entries the emit buffer of a telemetry log holds before it drops (default 10 000).',
          }),
          /** Which entry a full buffer drops: the one being emitted (newest, the default) or the oldest pending one. */
          drop: Type.Union([Type.Literal('newest'), Type.Literal('oldest')], {
            description:
              'Which entry a full buffer drops: the one being emitted (newest, the default) or the oldest pending one.',
          }),
        },
        { additionalProperties: false, description: 'Telemetry logs only: the emit buffer and its drop policy.' },
      ),
    ),
    /** Claims, queues and dataspaces: the default lease (of a claim, an attempt or a session), in milliseconds. */
    leaseMs: Type.Optional(DurationMsSchema),
    /** Queues: longest an attempt may run, heartbeats included. */
    maxRuntimeMs: Type.Optional(DurationMsSchema),
    /** Queues: attempts and backoff. */
    retry: Type.Optional(RetryPolicySchema),
    /** Queues: running attempts allowed. */
    concurrency: Type.Optional(
      Type.Object(
        {
          /** Across the surface. */
          global: Type.Optional(Type.Integer({ minimum: 1 })),
          /** Per named queue. */
          perQueue: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The value schemas of a surface, by role. */
export const SurfaceSchemasSchema = Type.Object(
  {
    /** Schema of values (records, logs, dataspaces). */
    value: Type.Optional(JsonSchemaSchema),
    /** Schema of task payloads (queues). */
    payload: Type.Optional(JsonSchemaSchema),
    /** Schema of results (claims, queues). */
    result: Type.Optional(JsonSchemaSchema),
    /** Schema of messages (channels). */
    message: Type.Optional(JsonSchemaSchema),
  },
  { additionalProperties: false },
);

/**
 * One surface as the manifest and inventory files describe it. `description`, `recovery`, `owner`
 * and `location` are prose and provenance: they are left out of the fingerprint.
 */
export const SurfaceEntrySchema = Type.Object(
  {
    /** The surface id. */
    id: SurfaceIdSchema,
    /** The surface kind. */
    kind: SurfaceKindSchema,
    /** The durability class the surface must have. */
    class: DurabilityClassSchema,
    /** app: shared by every deployment of the app; deployment: one deployment only. */
    scope: Type.Union([Type.Literal('app'), Type.Literal('deployment')], {
      description: 'app: shared by every deployment of the app; deployment: one deployment only.',
    }),
    /** Version of the value contract; stored values of another version are rejected before decoding. */
    schemaVersion: Type.Integer({
      minimum: 1,
      description: 'Version of the value contract; stored values of another version are rejected before decoding.',
    }),
    /** The value schemas by role. */
    schemas: SurfaceSchemasSchema,
    /** Size and retention bounds. */
    bounds: SurfaceBoundsSchema,
    /** Behavioural options by kind. */
    options: SurfaceOptionsSchema,
    /**
     * For a derived projection: the id of its source surface, or external:<name> for a source outside the inventory.
     */
    source: Type.Optional(
      Type.Union([SurfaceIdSchema, Type.String({ minLength: 1, pattern: '^external:' })], {
        description:
          'For a derived projection: the id of its source surface, or external:<name> for a source outside the inventory.',
      }),
    ),
    /** Who owns the surface (a team or a component). */
    owner: Type.Optional(Type.String({ minLength: 1 })),
    /** One-line recovery note. */
    recovery: Type.Optional(Type.String({ minLength: 1, description: 'One-line recovery note.' })),
    /** What the surface holds, in words. */
    description: Type.Optional(Type.String()),
    /** Where the surface is defined in the code. */
    location: Type.Optional(SourceLocationSchema),
  },
  { additionalProperties: false },
);

/** The surface definition as a standalone document schema (the same shape as a manifest entry). */
export const SurfaceDefinitionSchema: typeof SurfaceEntrySchema = documentSchema(
  'surface-definition',
  1,
  'stateproof surface definition',
  { ...SurfaceEntrySchema },
);

/** Static type of a surface definition. */
export type SurfaceDefinitionDocument = Static<typeof SurfaceEntrySchema>;
/** Static type of surface bounds. */
export type SurfaceBounds = Static<typeof SurfaceBoundsSchema>;
/** Static type of surface options. */
export type SurfaceOptionsDocument = Static<typeof SurfaceOptionsSchema>;
/** Static type of a retry policy. */
export type RetryPolicy = Static<typeof RetryPolicySchema>;
