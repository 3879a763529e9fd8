import { Type, type Static } from '@sinclair/typebox';
import { documentSchema } from './common.js';
import { DeploymentConfigSchema } from './manifest.js';
import { SurfaceEntrySchema } from './surface-definition.js';

/**
 * The language-agnostic inventory: what a Python, Go or Rust codebase writes by hand (YAML or JSON)
 * to declare its surfaces. Entries have the manifest's shape; the fingerprint is optional and is
 * checked when present.
 */
export const InventorySchema = documentSchema(
  'inventory',
  1,
  'stateproof inventory file',
  Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      inventoryVersion: Type.Literal(1),
      app: Type.Optional(Type.String({ minLength: 1 })),
      deployment: Type.Optional(DeploymentConfigSchema),
      fingerprint: Type.Optional(Type.String({ pattern: '^sha256:[0-9a-f]{64}$' })),
      surfaces: Type.Array(SurfaceEntrySchema),
    },
    { additionalProperties: false },
  ),
);

/** Static type of an inventory file. */
export type InventoryDocument = Static<typeof InventorySchema>;
