import type { SurfaceKind } from '@stateproof/spec';

/** The option holding a kind's value schema. */
export type SchemaRole = 'value' | 'payload' | 'result' | 'message';

/** The options every kind accepts. The definition functions refuse any other key, and so does the linter. */
export const COMMON_SURFACE_OPTIONS: readonly string[] = [
  'durability',
  'owner',
  'recovery',
  'description',
  'scope',
  'schemaVersion',
  'maxValueBytes',
  'source',
  'registry',
];

/** The options each kind accepts besides the common ones, and its schema roles (the first one is required). */
export const KIND_SURFACE_OPTIONS: Readonly<
  Record<
    SurfaceKind,
    {
      /** The kind's own options. */
      readonly options: readonly string[];
      /** Its schema roles, the required one first. */
      readonly roles: readonly SchemaRole[];
    }
  >
> = {
  record: { options: ['ttlMs'], roles: ['value'] },
  log: { options: ['retention', 'telemetry'], roles: ['value'] },
  claim: { options: ['leaseMs'], roles: ['result'] },
  queue: {
    options: ['retry', 'leaseMs', 'maxRuntimeMs', 'concurrency', 'attemptHistory', 'retention'],
    roles: ['payload', 'result'],
  },
  dataspace: { options: ['leaseMs', 'retention'], roles: ['value'] },
  channel: { options: [], roles: ['message'] },
};
