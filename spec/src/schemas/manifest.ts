import { Type, type Static } from '@sinclair/typebox';
import { FingerprintSchema, NamedVersionSchema, documentSchema } from './common.js';
import { SurfaceEntrySchema } from './surface-definition.js';

/** How the app is deployed, for rules that depend on it (restart-safe-local state with several replicas). */
export const DeploymentConfigSchema = Type.Object(
  {
    /** Replicas of the deployment. */
    replicas: Type.Integer({ minimum: 1, description: 'Replicas of the deployment.' }),
    /** Surface ids of restart-safe-local surfaces explicitly allowed with several replicas. */
    allowLocalState: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Surface ids of restart-safe-local surfaces explicitly allowed with several replicas.',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * The checked-in inventory of a codebase: surfaces sorted by id, and the fingerprint of their
 * semantic part (see spec/README.md, "Fingerprint").
 */
export const ManifestSchema = documentSchema(
  'manifest',
  1,
  'stateproof manifest',
  Type.Object(
    {
      /** The URL of this schema, for editors. */
      $schema: Type.Optional(Type.String()),
      /** Version of this document format. */
      manifestVersion: Type.Literal(1),
      /** The fingerprint of the surfaces' semantic part. */
      fingerprint: FingerprintSchema,
      /** The tool that wrote the manifest, and its version. */
      generator: Type.Optional(NamedVersionSchema),
      /** The application name. */
      app: Type.Optional(Type.String({ minLength: 1 })),
      /** How the application is deployed (replicas, local state). */
      deployment: Type.Optional(DeploymentConfigSchema),
      /** The surfaces, sorted by id. */
      surfaces: Type.Array(SurfaceEntrySchema),
    },
    { additionalProperties: false },
  ),
);

/** Static type of a manifest. */
export type ManifestDocument = Static<typeof ManifestSchema>;
/** Static type of a deployment config. */
export type DeploymentConfig = Static<typeof DeploymentConfigSchema>;
