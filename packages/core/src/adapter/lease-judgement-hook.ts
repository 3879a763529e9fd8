/** A write whose success depends on a lease still holding: what {@link BeforeLeaseJudgement} is told. */
export interface LeaseJudgedWrite {
  /** The kind of the store that writes. */
  readonly kind: 'claim' | 'queue';
  /** The store method: `renew`, `complete`, `release`, `abandon` (claim); `heartbeat`, `complete`, `fail`, `acknowledgeCancel` (queue). */
  readonly operation: string;
  /** The claim's key or the task's id. */
  readonly key: string;
}

/**
 * Test seam, never set in production: a store calls it inside each lease-judged write, after the
 * write holds whatever locks it takes and before it reads the time by which it judges the lease, so
 * that a test can make the lease expire while the write waits (a lock wait, a stalled connection).
 * The contract judges a lease when the write takes effect (CLM-007, QUE-010), so the write must then
 * be refused. A store on a server clock awaits the returned promise inside its transaction; a store
 * that judges synchronously on an injected clock (SQLite) calls it without awaiting, and the hook
 * must then only move that clock and return nothing.
 */
export type BeforeLeaseJudgement = (write: LeaseJudgedWrite) => void | Promise<void>;

/** Test seams an adapter may honour (the suite's `ConformanceTarget.writeDelay`). */
export interface AdapterTestHooks {
  /** Called inside each lease-judged write; see {@link BeforeLeaseJudgement}. */
  readonly beforeLeaseJudgement?: BeforeLeaseJudgement;
}
