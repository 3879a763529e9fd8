/** The six surface kinds, in the order the contract presents them. */
export const SURFACE_KINDS = ['record', 'log', 'claim', 'queue', 'dataspace', 'channel'] as const;

/** A surface kind. */
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** What the taxonomy says of one kind. */
export interface KindDefinition {
  /** The kind. */
  readonly kind: SurfaceKind;
  /** Prefix of the kind's requirement ids in spec/contract (REC-001, …). */
  readonly requirementPrefix: string;
  /** One-line summary. */
  readonly summary: string;
  /** The option that holds the kind's value schema. */
  readonly valueOption: 'value' | 'result' | 'payload' | 'message';
}

/** The kinds as data. */
export const KINDS: Readonly<Record<SurfaceKind, KindDefinition>> = {
  record: {
    kind: 'record',
    requirementPrefix: 'REC',
    valueOption: 'value',
    summary: 'Keyed JSON values with backend-owned versions, compare-and-set, prefix listing and optional TTL.',
  },
  log: {
    kind: 'log',
    requirementPrefix: 'LOG',
    valueOption: 'value',
    summary: 'Append-only streams with gap-free sequences, retention, durable consumer cursors and tailing.',
  },
  claim: {
    kind: 'claim',
    requirementPrefix: 'CLM',
    valueOption: 'result',
    summary: 'Effect claims and idempotency keys with leases, fencing tokens, takeover and terminal completion.',
  },
  queue: {
    kind: 'queue',
    requirementPrefix: 'QUE',
    valueOption: 'payload',
    summary: 'At-least-once tasks with leases, fencing, retries with backoff, cancellation, a reaper and counters.',
  },
  dataspace: {
    kind: 'dataspace',
    requirementPrefix: 'DSP',
    valueOption: 'value',
    summary:
      'Owned assertions of live sessions, retracted when the owner closes or dies, with snapshot-then-stream subscriptions.',
  },
  channel: {
    kind: 'channel',
    requirementPrefix: 'CHN',
    valueOption: 'message',
    summary: 'At-most-once broadcast to every live subscriber, per-publisher order, no persistence.',
  },
};

/** True when `value` names a surface kind. */
export function isSurfaceKind(value: unknown): value is SurfaceKind {
  return typeof value === 'string' && (SURFACE_KINDS as readonly string[]).includes(value);
}
