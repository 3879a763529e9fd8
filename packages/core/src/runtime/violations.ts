import type { ErrorCode } from '@stateproof/spec';
import type { Mode } from './mode.js';

/** What a mode does with a violation. */
export type ViolationAction = 'allow' | 'warn' | 'refuse';

/** When a violation is detected. */
export type ViolationStage = 'definition' | 'startup' | 'operation';

/** One row of the violation table. */
export interface ViolationRule {
  /** What the violation is, in one sentence. */
  readonly summary: string;
  /** When it is detected. */
  readonly stage: ViolationStage;
  /** What each mode does. */
  readonly actions: Readonly<Record<Mode, ViolationAction>>;
  /** What to do about it. */
  readonly fix: string;
}

const STANDARD = {
  /** `off` allows it. */
  off: 'allow',
  /** `warn` logs it once and proceeds. */
  warn: 'warn',
  /** `enforce` refuses the startup or the operation. */
  enforce: 'refuse',
} as const;

/**
 * The one table of contract violations (docs/architecture.md, step 1). Every row has a stable code; `off`
 * allows, `warn` logs once and proceeds, `enforce` refuses the startup or the operation.
 * Malformed input (bad ids, keys, options, non-I-JSON or oversized values) is not in this table:
 * it is refused in every mode, because it cannot be stored faithfully.
 */
export const VIOLATIONS = {
  /** Reported by the registry for a definition made after it was sealed. */
  STATEPROOF_RUNTIME_DEFINITION: {
    /** What the violation is, in one sentence. */
    summary: 'A non-ephemeral surface was defined after the registry was sealed (inside a function, handler or loop).',
    /** When it is detected. */
    stage: 'definition',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Define the surface at module top level so every process knows it before openRuntime.',
  },
  /** Reported by the registry, and at startup for the surfaces bound. */
  STATEPROOF_DUPLICATE_ID: {
    /** What the violation is, in one sentence. */
    summary: 'Two different surfaces share one id.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Give each surface its own id; ids are the identity of stored state.',
  },
  /** Reported at startup, per surface bound to a memory-backed adapter. */
  STATEPROOF_MEMORY_DURABLE: {
    /** What the violation is, in one sentence. */
    summary:
      'A durable surface (restart-safe-local, shared-durable, derived-projection) is bound to a memory-backed adapter.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Bind the surface to a persistent adapter (SQLite or Postgres), or declare it ephemeral.',
  },
  /** Reported at startup, per surface whose class the adapter's capabilities or probe refuse. */
  STATEPROOF_CLASS_NOT_CERTIFIED: {
    /** What the violation is, in one sentence. */
    summary: "The adapter's capabilities or probe cannot certify the surface's durability class.",
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: "Run `stateproof probe --adapter <sqlite|postgres|redis|./module.js> --url <backend>`: it prints each setting read, why the class is refused and the change that would certify it (the same as `await adapter.probe()`); then change the backend settings or the surface's class.",
  },
  /** Reported at startup when openRuntime is given a manifest (or fingerprint). */
  STATEPROOF_MANIFEST_MISMATCH: {
    /** What the violation is, in one sentence. */
    summary: 'The surfaces of this process do not match the build-time manifest fingerprint.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Regenerate the manifest with `stateproof manifest --write` and ship it with this build.',
  },
  /** Reported by the deployment lease when a live peer has another fingerprint. */
  STATEPROOF_RUNTIME_MISMATCH: {
    /** What the violation is, in one sentence. */
    summary: 'A live peer of the same deployment reports a different manifest fingerprint.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Give each build its own deployment id, or finish rolling out one build before starting another under the same id.',
  },
  /** Reported by the value codec, on write and on read. */
  STATEPROOF_SCHEMA_VIOLATION: {
    /** What the violation is, in one sentence. */
    summary: 'A value written or read does not satisfy the surface schema.',
    /** When it is detected. */
    stage: 'operation',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Fix the value, or change the schema and bump schemaVersion.',
  },
  /** Reported at startup. */
  STATEPROOF_MISSING_SCOPE: {
    /** What the violation is, in one sentence. */
    summary: 'The runtime has no app or deployment, so keys cannot be scoped to them.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Pass app and deployment to openRuntime (for example from the image tag or build id).',
  },
  /** Reported at startup, per restart-safe-local surface not allowed with several replicas. */
  STATEPROOF_LOCAL_MULTI_REPLICA: {
    /** What the violation is, in one sentence. */
    summary: 'A restart-safe-local surface runs in a deployment with more than one replica.',
    /** When it is detected. */
    stage: 'startup',
    /** What each mode does with it. */
    actions: STANDARD,
    /** What to do about it. */
    fix: 'Use a shared-durable adapter, run one replica, or list the surface in allowLocalState on purpose.',
  },
} as const satisfies Partial<Record<ErrorCode, ViolationRule>>;

/** The code of a contract violation. */
export type ViolationCode = keyof typeof VIOLATIONS;

/** Every violation code. */
export const VIOLATION_CODES = Object.keys(VIOLATIONS) as ViolationCode[];
