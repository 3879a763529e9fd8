import { Type, type Static } from '@sinclair/typebox';
import { SourceLocationSchema, SurfaceIdSchema, SurfaceKindSchema, documentSchema } from './common.js';
import { DURABILITY_CLASSES } from '../taxonomy/durability-class.js';
import { DeploymentConfigSchema } from './manifest.js';
import {
  SurfaceBoundsSchema,
  SurfaceEntrySchema,
  SurfaceOptionsSchema,
  SurfaceSchemasSchema,
} from './surface-definition.js';

/** A durability class with its own description. */
const durabilityClass = (description: string) =>
  Type.Union(
    DURABILITY_CLASSES.map((c) => Type.Literal(c)),
    { description },
  );

/** Largest encoded value when an inventory surface gives no bounds.maxValueBytes (the TypeScript API's default, 1 MiB). */
export const INVENTORY_DEFAULT_MAX_VALUE_BYTES = 1_048_576;

/** What a running deployment uses for a surface today, beside the class the surface must have. */
export const CurrentStateSchema = Type.Object(
  {
    /** What the surface runs on today: memory, sqlite:<file>, postgres://…, redis://…, or any name. */
    backend: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'What the surface runs on today: memory, sqlite:<file> (or a .db/.sqlite file), postgres://…, redis://…, or any name. Without durability, memory means ephemeral and a SQLite file restart-safe-local; a server URL or another name leaves the current class unknown.',
      }),
    ),
    /** The class the surface has today, when the backend alone does not say it (overrides the backend). */
    durability: Type.Optional(
      durabilityClass(
        'The class the surface has today, when the backend alone does not say it (overrides the backend).',
      ),
    ),
    /** What happens to it on a restart today, in words ("lost on restart"). */
    restart: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'What happens to it on a restart today, in words ("lost on restart").',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Declared versus current: what the surface runs on today. Not part of the fingerprint; the durability-gap rule compares it with the declared durability.',
  },
);

/**
 * One surface of an inventory at version 2: only `id`, `kind` and `durability` are required, every
 * other field has the default its description gives.
 */
export const InventorySurfaceSchema = Type.Object(
  {
    /** The surface id. */
    id: SurfaceIdSchema,
    /** The surface kind. */
    kind: SurfaceKindSchema,
    /** The durability class the surface must have (the manifest calls it class). */
    durability: durabilityClass(
      'The durability class the surface must have (the word of the TypeScript API; the manifest calls it class).',
    ),
    /** app (default): shared by every deployment of the app; deployment: one deployment only. */
    scope: Type.Optional(
      Type.Union([Type.Literal('app'), Type.Literal('deployment')], {
        description: 'app (default): shared by every deployment of the app; deployment: one deployment only.',
      }),
    ),
    /** Version of the value contract (default 1). */
    schemaVersion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Version of the value contract (default 1).' }),
    ),
    /** The value schemas by role (default {}: no schema declared, values are not checked). */
    schemas: Type.Optional(
      Type.Object(SurfaceSchemasSchema.properties, {
        additionalProperties: false,
        description: 'The value schemas by role (default {}: no schema declared, values are not checked).',
      }),
    ),
    /** Size and retention bounds (default { maxValueBytes: 1048576 }, no retention). */
    bounds: Type.Optional(
      Type.Object(
        {
          ...SurfaceBoundsSchema.properties,
          /** Largest encoded value, in UTF-8 bytes (default 1048576). */
          maxValueBytes: Type.Optional(
            Type.Integer({ minimum: 1, description: 'Largest encoded value, in UTF-8 bytes (default 1048576).' }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'Size and retention bounds (default { maxValueBytes: 1048576 }, no retention; a telemetry log must give maxEntries or maxAgeMs).',
        },
      ),
    ),
    /** Behavioural options by kind (default {}). */
    options: Type.Optional(
      Type.Object(SurfaceOptionsSchema.properties, {
        additionalProperties: false,
        description: 'Behavioural options by kind (default {}).',
      }),
    ),
    /** For a derived projection: the id of its source surface, or external:<name>. */
    source: Type.Optional(
      Type.Union([SurfaceIdSchema, Type.String({ minLength: 1, pattern: '^external:' })], {
        description:
          'For a derived projection: the id of its source surface, or external:<name> for a source outside the inventory.',
      }),
    ),
    /** Who owns the surface (a team or a component). */
    owner: Type.Optional(Type.String({ minLength: 1, description: 'Who owns the surface (a team or a component).' })),
    /** One-line recovery note. */
    recovery: Type.Optional(Type.String({ minLength: 1, description: 'One-line recovery note.' })),
    /** What the surface holds, in words. */
    description: Type.Optional(Type.String()),
    /** Where the surface is defined in the code, when known. */
    location: Type.Optional(SourceLocationSchema),
    /** What the surface runs on today (declared versus current); not part of the fingerprint. */
    current: Type.Optional(CurrentStateSchema),
  },
  { additionalProperties: false },
);

const inventoryHeader = {
  /** The URL of the schema, for editors. */
  $schema: Type.Optional(Type.String()),
  /** The application name. */
  app: Type.Optional(Type.String({ minLength: 1 })),
  /** How the application is deployed (replicas, local state). */
  deployment: Type.Optional(DeploymentConfigSchema),
  /** Optional; when present, the fingerprint of the surfaces with their defaults filled in. */
  fingerprint: Type.Optional(
    Type.String({
      pattern: '^sha256:[0-9a-f]{64}$',
      description: 'Optional; when present it must be the fingerprint of the surfaces with their defaults filled in.',
    }),
  ),
};

/** Inventory version 2 (the current one): `durability`, defaults, `current`. `inventoryVersion` may be left out. */
export const InventoryV2Schema = Type.Object(
  {
    /** Inventory format version (default 2). */
    inventoryVersion: Type.Optional(Type.Literal(2, { description: 'Inventory format version (default 2).' })),
    ...inventoryHeader,
    /** The surfaces. */
    surfaces: Type.Array(InventorySurfaceSchema),
  },
  { additionalProperties: false, description: 'Inventory version 2.' },
);

/** Inventory version 1: every surface has the manifest entry's shape (`class`, every field written). Still accepted. */
export const InventoryV1Schema = Type.Object(
  {
    /** Inventory format version 1. */
    inventoryVersion: Type.Literal(1),
    ...inventoryHeader,
    /** The surfaces, as manifest entries. */
    surfaces: Type.Array(SurfaceEntrySchema),
  },
  { additionalProperties: false, description: 'Inventory version 1 (manifest-shaped entries); still accepted.' },
);

/**
 * The language-agnostic inventory: what a Python, Go or Rust codebase writes by hand (YAML or JSON)
 * to declare its surfaces. Version 2 (`inventoryVersion` absent or 2) needs only `id`, `kind` and
 * `durability` per surface; version 1 documents (manifest-shaped entries with `class`) still
 * validate. The fingerprint is optional and is checked when present.
 */
export const InventorySchema = documentSchema(
  'inventory',
  2,
  'stateproof inventory file',
  Type.Union([InventoryV2Schema, InventoryV1Schema]),
);

/** Static type of an inventory file, either version. */
export type InventoryDocument = Static<typeof InventorySchema>;
/** Static type of an inventory file at version 2. */
export type InventoryV2Document = Static<typeof InventoryV2Schema>;
/** Static type of an inventory file at version 1. */
export type InventoryV1Document = Static<typeof InventoryV1Schema>;
/** Static type of one version 2 inventory surface. */
export type InventorySurfaceDocument = Static<typeof InventorySurfaceSchema>;
/** Static type of a surface's `current` section. */
export type CurrentState = Static<typeof CurrentStateSchema>;
