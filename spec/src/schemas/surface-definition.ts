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
    maxAttempts: Type.Integer({ minimum: 1, maximum: 1000, description: 'Attempts in all, the first included.' }),
    baseDelayMs: Type.Integer({ minimum: 0, description: 'Delay after the first failed attempt, before jitter.' }),
    factor: Type.Number({ minimum: 1, maximum: 10, description: 'Growth per failed attempt.' }),
    maxDelayMs: Type.Integer({ minimum: 0, description: 'Cap of the delay, before jitter.' }),
    jitter: Type.Number({ minimum: 0, maximum: 1, description: 'Fraction of the delay that is randomised downwards.' }),
  },
  { additionalProperties: false },
);

/** Size and retention bounds of a surface. */
export const SurfaceBoundsSchema = Type.Object(
  {
    maxValueBytes: Type.Integer({ minimum: 1, description: 'Largest encoded value, in UTF-8 bytes.' }),
    ttlMs: Type.Optional(DurationMsSchema),
    maxEntries: Type.Optional(Type.Integer({ minimum: 1, description: 'Log retention by count, per stream.' })),
    maxAgeMs: Type.Optional(DurationMsSchema),
    attemptHistory: Type.Optional(Type.Integer({ minimum: 1, description: 'Queue attempts kept beside each task.' })),
  },
  { additionalProperties: false },
);

/** Behavioural options of a surface; which apply depends on the kind. */
export const SurfaceOptionsSchema = Type.Object(
  {
    telemetry: Type.Optional(
      Type.Object(
        {
          buffer: Type.Integer({
            minimum: 1,
            maximum: 1_000_000,
            description: 'Entries the emit buffer of a telemetry log holds before it drops (default 10 000).',
          }),
          drop: Type.Union([Type.Literal('newest'), Type.Literal('oldest')], {
            description:
              'Which entry a full buffer drops: the one being emitted (newest, the default) or the oldest pending one.',
          }),
        },
        { additionalProperties: false, description: 'Telemetry logs only: the emit buffer and its drop policy.' },
      ),
    ),
    leaseMs: Type.Optional(DurationMsSchema),
    maxRuntimeMs: Type.Optional(DurationMsSchema),
    retry: Type.Optional(RetryPolicySchema),
    concurrency: Type.Optional(
      Type.Object(
        {
          global: Type.Optional(Type.Integer({ minimum: 1 })),
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
    value: Type.Optional(JsonSchemaSchema),
    payload: Type.Optional(JsonSchemaSchema),
    result: Type.Optional(JsonSchemaSchema),
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
    id: SurfaceIdSchema,
    kind: SurfaceKindSchema,
    class: DurabilityClassSchema,
    scope: Type.Union([Type.Literal('app'), Type.Literal('deployment')], {
      description: 'app: shared by every deployment of the app; deployment: one deployment only.',
    }),
    schemaVersion: Type.Integer({
      minimum: 1,
      description: 'Version of the value contract; stored values of another version are rejected before decoding.',
    }),
    schemas: SurfaceSchemasSchema,
    bounds: SurfaceBoundsSchema,
    options: SurfaceOptionsSchema,
    source: Type.Optional(
      Type.Union([SurfaceIdSchema, Type.String({ minLength: 1, pattern: '^external:' })], {
        description:
          'For a derived projection: the id of its source surface, or external:<name> for a source outside the inventory.',
      }),
    ),
    owner: Type.Optional(Type.String({ minLength: 1 })),
    recovery: Type.Optional(Type.String({ minLength: 1, description: 'One-line recovery note.' })),
    description: Type.Optional(Type.String()),
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
