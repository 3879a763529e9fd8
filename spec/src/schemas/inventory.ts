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
    backend: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'What the surface runs on today: memory, sqlite:<file> (or a .db/.sqlite file), postgres://…, redis://…, or any name. Without durability, memory means ephemeral and a SQLite file restart-safe-local; a server URL or another name leaves the current class unknown.',
      }),
    ),
    durability: Type.Optional(
      durabilityClass(
        'The class the surface has today, when the backend alone does not say it (overrides the backend).',
      ),
    ),
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
    id: SurfaceIdSchema,
    kind: SurfaceKindSchema,
    durability: durabilityClass(
      'The durability class the surface must have (the word of the TypeScript API; the manifest calls it class).',
    ),
    scope: Type.Optional(
      Type.Union([Type.Literal('app'), Type.Literal('deployment')], {
        description: 'app (default): shared by every deployment of the app; deployment: one deployment only.',
      }),
    ),
    schemaVersion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Version of the value contract (default 1).' }),
    ),
    schemas: Type.Optional(
      Type.Object(SurfaceSchemasSchema.properties, {
        additionalProperties: false,
        description: 'The value schemas by role (default {}: no schema declared, values are not checked).',
      }),
    ),
    bounds: Type.Optional(
      Type.Object(
        {
          ...SurfaceBoundsSchema.properties,
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
    options: Type.Optional(
      Type.Object(SurfaceOptionsSchema.properties, {
        additionalProperties: false,
        description: 'Behavioural options by kind (default {}).',
      }),
    ),
    source: Type.Optional(
      Type.Union([SurfaceIdSchema, Type.String({ minLength: 1, pattern: '^external:' })], {
        description:
          'For a derived projection: the id of its source surface, or external:<name> for a source outside the inventory.',
      }),
    ),
    owner: Type.Optional(Type.String({ minLength: 1, description: 'Who owns the surface (a team or a component).' })),
    recovery: Type.Optional(Type.String({ minLength: 1, description: 'One-line recovery note.' })),
    description: Type.Optional(Type.String()),
    location: Type.Optional(SourceLocationSchema),
    current: Type.Optional(CurrentStateSchema),
  },
  { additionalProperties: false },
);

const inventoryHeader = {
  $schema: Type.Optional(Type.String()),
  app: Type.Optional(Type.String({ minLength: 1 })),
  deployment: Type.Optional(DeploymentConfigSchema),
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
    inventoryVersion: Type.Optional(Type.Literal(2, { description: 'Inventory format version (default 2).' })),
    ...inventoryHeader,
    surfaces: Type.Array(InventorySurfaceSchema),
  },
  { additionalProperties: false, description: 'Inventory version 2.' },
);

/** Inventory version 1: every surface has the manifest entry's shape (`class`, every field written). Still accepted. */
export const InventoryV1Schema = Type.Object(
  {
    inventoryVersion: Type.Literal(1),
    ...inventoryHeader,
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
