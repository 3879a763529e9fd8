import type { ErrorCode } from '@stateproof/spec';
import type { Mode } from './mode.js';

/** What a mode does with a violation. */
export type ViolationAction = 'allow' | 'warn' | 'refuse';

/** When a violation is detected. */
export type ViolationStage = 'definition' | 'startup' | 'operation';

/** One row of the violation table. */
export interface ViolationRule {
  readonly summary: string;
  readonly stage: ViolationStage;
  /** What each mode does. */
  readonly actions: Readonly<Record<Mode, ViolationAction>>;
  /** What to do about it. */
  readonly fix: string;
}

const STANDARD = { off: 'allow', warn: 'warn', enforce: 'refuse' } as const;

/**
 * The one table of contract violations (docs/architecture.md, step 1). Every row has a stable code; `off`
 * allows, `warn` logs once and proceeds, `enforce` refuses the startup or the operation.
 * Malformed input (bad ids, keys, options, non-I-JSON or oversized values) is not in this table:
 * it is refused in every mode, because it cannot be stored faithfully.
 */
export const VIOLATIONS = {
  STATEPROOF_RUNTIME_DEFINITION: {
    summary: 'A non-ephemeral surface was defined after the registry was sealed (inside a function, handler or loop).',
    stage: 'definition',
    actions: STANDARD,
    fix: 'Define the surface at module top level so every process knows it before openRuntime.',
  },
  STATEPROOF_DUPLICATE_ID: {
    summary: 'Two different surfaces share one id.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Give each surface its own id; ids are the identity of stored state.',
  },
  STATEPROOF_MEMORY_DURABLE: {
    summary:
      'A durable surface (restart-safe-local, shared-durable, derived-projection) is bound to a memory-backed adapter.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Bind the surface to a persistent adapter (SQLite or Postgres), or declare it ephemeral.',
  },
  STATEPROOF_CLASS_NOT_CERTIFIED: {
    summary: "The adapter's capabilities or probe cannot certify the surface's durability class.",
    stage: 'startup',
    actions: STANDARD,
    fix: "Run `stateproof probe --adapter <sqlite|postgres|redis|./module.js> --url <backend>`: it prints each setting read, why the class is refused and the change that would certify it (the same as `await adapter.probe()`); then change the backend settings or the surface's class.",
  },
  STATEPROOF_MANIFEST_MISMATCH: {
    summary: 'The surfaces of this process do not match the build-time manifest fingerprint.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Regenerate the manifest with `stateproof manifest --write` and ship it with this build.',
  },
  STATEPROOF_RUNTIME_MISMATCH: {
    summary: 'A live peer of the same deployment reports a different manifest fingerprint.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Give each build its own deployment id, or finish rolling out one build before starting another under the same id.',
  },
  STATEPROOF_SCHEMA_VIOLATION: {
    summary: 'A value written or read does not satisfy the surface schema.',
    stage: 'operation',
    actions: STANDARD,
    fix: 'Fix the value, or change the schema and bump schemaVersion.',
  },
  STATEPROOF_MISSING_SCOPE: {
    summary: 'The runtime has no app or deployment, so keys cannot be scoped to them.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Pass app and deployment to openRuntime (for example from the image tag or build id).',
  },
  STATEPROOF_LOCAL_MULTI_REPLICA: {
    summary: 'A restart-safe-local surface runs in a deployment with more than one replica.',
    stage: 'startup',
    actions: STANDARD,
    fix: 'Use a shared-durable adapter, run one replica, or list the surface in allowLocalState on purpose.',
  },
} as const satisfies Partial<Record<ErrorCode, ViolationRule>>;

/** The code of a contract violation. */
export type ViolationCode = keyof typeof VIOLATIONS;

/** Every violation code. */
export const VIOLATION_CODES = Object.keys(VIOLATIONS) as ViolationCode[];
