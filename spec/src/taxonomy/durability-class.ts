import type { ConformanceCheck } from './conformance-check.js';
import type { SurfaceKind } from './surface-kind.js';

/** The five durability classes. */
export const DURABILITY_CLASSES = [
  'ephemeral',
  'restart-safe-local',
  'shared-durable',
  'derived-projection',
  'telemetry',
] as const;

/** A durability class. */
export type DurabilityClass = (typeof DURABILITY_CLASSES)[number];

/** A guarantee a class gives, stated as the design's table states it. */
export type Guarantee = 'yes' | 'no' | 'best-effort' | 'not-applicable' | 'rebuildable' | 'as-source' | 'optional';

/** The guarantee vector of a class. */
export interface GuaranteeVector {
  /** Does an acknowledged write survive a SIGKILL of the writing process? */
  readonly survivesProcessKill: Guarantee;
  /** Does it survive a SIGKILL of the backend server (per the backend declared durability settings)? */
  readonly survivesBackendKill: Guarantee;
  /** Is the state shared by every replica of the deployment? */
  readonly sharedAcrossReplicas: Guarantee;
  /** May an acknowledged write be lost? `none`, `allowed`, `counted` (allowed but every loss is counted) or `rebuildable`. */
  readonly lossAfterAck: 'none' | 'allowed' | 'counted' | 'rebuildable';
  /** May the state drive recovery (replay, idempotency, re-queueing)? */
  readonly mayDriveRecovery: boolean;
}

/** What the taxonomy says of one class. */
export interface ClassDefinition {
  /** The class id. */
  readonly id: DurabilityClass;
  /** A short human title. */
  readonly title: string;
  /** What the class promises, in a sentence or two. */
  readonly summary: string;
  /** What the class guarantees, fault by fault. */
  readonly guarantees: GuaranteeVector;
  /** The kinds a surface of this class may have. */
  readonly kinds: readonly SurfaceKind[];
  /** The conformance check families an adapter must pass to be certified for this class. */
  readonly checks: readonly ConformanceCheck[];
  /** The classes an adapter may certify (per kind) to host a surface of this class. */
  readonly hostedBy: readonly DurabilityClass[];
  /** Whether the state must survive a restart (a memory-backed binding is a violation). */
  readonly durable: boolean;
  /** Rules that follow from the class, as text. */
  readonly rules: readonly string[];
  /** Prefix of the class's own requirement ids in spec/contract/classes.md (`PRJ`, `TEL`), when it has any. */
  readonly requirementPrefix?: string;
}

/** The taxonomy as data: each class with its guarantee vector, kinds, checks and rules (docs/architecture.md). */
export const CLASSES: Readonly<Record<DurabilityClass, ClassDefinition>> = {
  ephemeral: {
    id: 'ephemeral',
    title: 'Ephemeral',
    summary:
      'Per-request or per-connection working state that may live only in memory; losing it on restart is acceptable.',
    guarantees: {
      survivesProcessKill: 'no',
      survivesBackendKill: 'no',
      sharedAcrossReplicas: 'no',
      lossAfterAck: 'allowed',
      mayDriveRecovery: false,
    },
    kinds: ['record', 'log', 'claim', 'queue', 'dataspace', 'channel'],
    checks: ['model'],
    hostedBy: ['ephemeral', 'restart-safe-local', 'shared-durable'],
    durable: false,
    rules: ['May be defined at runtime (inside functions); it never needs a stable identity across processes.'],
  },
  'restart-safe-local': {
    id: 'restart-safe-local',
    title: 'Restart-safe local',
    summary:
      'Survives a process restart or kill on one node; may be shared by processes on that node, never across replicas.',
    guarantees: {
      survivesProcessKill: 'yes',
      survivesBackendKill: 'not-applicable',
      sharedAcrossReplicas: 'no',
      lossAfterAck: 'none',
      mayDriveRecovery: true,
    },
    kinds: ['record', 'log', 'claim', 'queue', 'dataspace'],
    checks: ['model', 'reopen', 'process-crash'],
    hostedBy: ['restart-safe-local', 'shared-durable'],
    durable: true,
    rules: [
      'A memory-backed binding is a violation.',
      'A deployment with more than one replica needs an explicit override.',
    ],
  },
  'shared-durable': {
    id: 'shared-durable',
    title: 'Shared durable',
    summary:
      'Authoritative across processes, containers and replicas; survives process and backend crashes per the backend declared durability.',
    guarantees: {
      survivesProcessKill: 'yes',
      survivesBackendKill: 'yes',
      sharedAcrossReplicas: 'yes',
      lossAfterAck: 'none',
      mayDriveRecovery: true,
    },
    kinds: ['record', 'log', 'claim', 'queue', 'dataspace'],
    checks: ['model', 'reopen', 'process-crash', 'concurrent-linearizability', 'backend-crash'],
    hostedBy: ['shared-durable'],
    durable: true,
    rules: ['A memory-backed binding is a violation.', 'The adapter probe must certify the backend settings.'],
  },
  'derived-projection': {
    id: 'derived-projection',
    title: 'Derived projection',
    summary:
      'A query-oriented projection of a source surface; persisted, rebuildable from its source, written only by its projector.',
    guarantees: {
      survivesProcessKill: 'yes',
      survivesBackendKill: 'rebuildable',
      sharedAcrossReplicas: 'as-source',
      lossAfterAck: 'rebuildable',
      mayDriveRecovery: false,
    },
    kinds: ['record', 'log'],
    checks: ['model', 'reopen', 'process-crash', 'rebuild-from-source', 'single-writer'],
    hostedBy: ['derived-projection', 'restart-safe-local', 'shared-durable'],
    durable: true,
    rules: [
      'Names its source surface.',
      'Is never written by anyone but its projector.',
      'Never drives recovery; its source does.',
    ],
    requirementPrefix: 'PRJ',
  },
  telemetry: {
    id: 'telemetry',
    title: 'Telemetry',
    summary:
      'Append-oriented facts for debugging, audits and reporting; bounded, best effort, drops counted; never an authority.',
    guarantees: {
      survivesProcessKill: 'best-effort',
      survivesBackendKill: 'best-effort',
      sharedAcrossReplicas: 'optional',
      lossAfterAck: 'counted',
      mayDriveRecovery: false,
    },
    kinds: ['log'],
    checks: ['model', 'bounded-size', 'non-blocking-append', 'drops-counted'],
    hostedBy: ['telemetry', 'ephemeral', 'restart-safe-local', 'shared-durable'],
    durable: false,
    rules: [
      'Declares a bound (retention by count or age).',
      'Appends never block; drops are counted.',
      'Is never the authority for idempotency or replay (that is claims and logs).',
    ],
    requirementPrefix: 'TEL',
  },
};

/** True when `value` names a durability class. */
export function isDurabilityClass(value: unknown): value is DurabilityClass {
  return typeof value === 'string' && (DURABILITY_CLASSES as readonly string[]).includes(value);
}

/** True when the taxonomy allows a surface of `kind` in class `cls`. */
export function classAllowsKind(cls: DurabilityClass, kind: SurfaceKind): boolean {
  return CLASSES[cls].kinds.includes(kind);
}
