import type { Subscription } from '../subscription/subscription.js';

/** One assertion. */
export interface Assertion {
  readonly id: string;
  /** Encoded value. */
  readonly value: string;
  /** The session that owns it, and that session's owner name. */
  readonly session: string;
  readonly owner: string;
  /** Dataspace revision of the last change to this assertion. */
  readonly revision: number;
}

/** Which assertion ids a read or subscription covers. Glob: `*` any run, `?` one character, `\` escapes. */
export type DataspaceFilter =
  | { readonly type: 'all' }
  | { readonly type: 'exact'; readonly id: string }
  | { readonly type: 'prefix'; readonly prefix: string }
  | { readonly type: 'glob'; readonly pattern: string };

/** Why an assertion went away. */
export type RetractReason = 'retracted' | 'closed' | 'expired';

/** What a dataspace subscription yields. */
export type DataspaceEvent =
  /** Current matching assertions at `revision`; every later event has a greater revision. */
  | { readonly type: 'snapshot'; readonly revision: number; readonly assertions: readonly Assertion[] }
  | { readonly type: 'asserted'; readonly revision: number; readonly assertion: Assertion }
  | {
      readonly type: 'retracted';
      readonly revision: number;
      readonly id: string;
      readonly session: string;
      readonly owner: string;
      readonly reason: RetractReason;
    }
  /** The subscriber lagged past its buffer; a fresh `snapshot` follows at once. */
  | { readonly type: 'resync'; readonly reason: 'lagged' };

/**
 * Owned assertions of live sessions (spec/contract/dataspace.md). Every change gets the next
 * dataspace revision. Only the owning session may overwrite or retract an assertion (else
 * OwnershipError, nothing changes). Closing a session, or the reaper finding its lease expired,
 * retracts all its assertions exactly once. A session that is closed or expired can do nothing
 * (SessionExpiredError). An operation that finds an id owned by an expired session reaps that session first.
 */
export interface DataspaceStore {
  openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }>;
  heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }>;
  /** Closes and retracts; closing a closed or expired session is a no-op returning 0. Unknown session → NotFoundError. */
  closeSession(session: string): Promise<{ retracted: number }>;
  assert(session: string, id: string, value: string): Promise<{ revision: number }>;
  /** Retracts the session's own assertion; null when there was none. */
  retract(session: string, id: string): Promise<{ revision: number } | null>;
  get(id: string): Promise<Assertion | null>;
  /** Matching assertions (ascending by id in UTF-8 byte order) at one revision. */
  list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }>;
  /** Retracts every assertion of every session whose lease expired; idempotent. */
  reap(): Promise<{ expired: number; retracted: number }>;
  /** Resolves once live: a snapshot, then every later matching change in revision order; bounded, with explicit resync. */
  subscribe(filter: DataspaceFilter, options?: { readonly bufferSize?: number }): Promise<Subscription<DataspaceEvent>>;
}
