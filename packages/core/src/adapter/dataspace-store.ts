import type { Subscription } from '../subscription/subscription.js';

/** One assertion. */
export interface Assertion {
  /** The assertion id. */
  readonly id: string;
  /** Encoded value. */
  readonly value: string;
  /** The session that owns it. */
  readonly session: string;
  /** That session's owner name. */
  readonly owner: string;
  /** Dataspace revision of the last change to this assertion. */
  readonly revision: number;
}

/** Which assertion ids a read or subscription covers. Glob: `*` any run, `?` one character, `\` escapes. */
export type DataspaceFilter =
  | {
      /** Every assertion. */
      readonly type: 'all';
    }
  | {
      /** One id. */
      readonly type: 'exact';
      /** The id. */
      readonly id: string;
    }
  | {
      /** Ids that start with `prefix`. */
      readonly type: 'prefix';
      /** The prefix. */
      readonly prefix: string;
    }
  | {
      /** Ids that `pattern` matches. */
      readonly type: 'glob';
      /** The glob. */
      readonly pattern: string;
    };

/** Why an assertion went away. */
export type RetractReason = 'retracted' | 'closed' | 'expired';

/** What a dataspace subscription yields. */
export type DataspaceEvent =
  /** Current matching assertions at `revision`; every later event has a greater revision. */
  | {
      /** The current state. */
      readonly type: 'snapshot';
      /** The revision it is the state at. */
      readonly revision: number;
      /** The matching assertions. */
      readonly assertions: readonly Assertion[];
    }
  | {
      /** An assertion was made or overwritten. */
      readonly type: 'asserted';
      /** The revision of the change. */
      readonly revision: number;
      /** The assertion as it is now. */
      readonly assertion: Assertion;
    }
  | {
      /** An assertion went away. */
      readonly type: 'retracted';
      /** The revision of the change. */
      readonly revision: number;
      /** Its id. */
      readonly id: string;
      /** The session that owned it. */
      readonly session: string;
      /** That session's owner name. */
      readonly owner: string;
      /** Why it went away. */
      readonly reason: RetractReason;
    }
  /** The subscriber lagged past its buffer; a fresh `snapshot` follows at once. */
  | {
      /** Start over from the next snapshot. */
      readonly type: 'resync';
      /** Why. */
      readonly reason: 'lagged';
    };

/**
 * Owned assertions of live sessions (spec/contract/dataspace.md). Every change gets the next
 * dataspace revision. Only the owning session may overwrite or retract an assertion (else
 * OwnershipError, nothing changes). Closing a session, or the reaper finding its lease expired,
 * retracts all its assertions exactly once. A session that is closed or expired can do nothing
 * (SessionExpiredError). An operation that finds an id owned by an expired session reaps that session first.
 */
export interface DataspaceStore {
  /** Opens a session for `owner` with a liveness lease of `leaseMs`. */
  openSession(
    owner: string,
    leaseMs: number,
  ): Promise<{
    /** The new session's id. */
    session: string;
    /** When its lease ends unless renewed (epoch ms). */
    expiresAt: number;
  }>;
  /** Renews the session's lease to now + leaseMs; SessionExpiredError when it is closed or expired. */
  heartbeat(
    session: string,
    leaseMs: number,
  ): Promise<{
    /** The new end of the lease (epoch ms). */
    expiresAt: number;
  }>;
  /** Closes and retracts; closing a closed or expired session is a no-op returning 0. Unknown session → NotFoundError. */
  closeSession(session: string): Promise<{
    /** How many assertions were retracted. */
    retracted: number;
  }>;
  /** Asserts or overwrites `id` with an encoded value; OwnershipError when another session owns it. */
  assert(
    session: string,
    id: string,
    value: string,
  ): Promise<{
    /** The revision of the change. */
    revision: number;
  }>;
  /** Retracts the session's own assertion; null when there was none. */
  retract(
    session: string,
    id: string,
  ): Promise<{
    /** The revision of the change. */
    revision: number;
  } | null>;
  /** The assertion `id`, or null when there is none. */
  get(id: string): Promise<Assertion | null>;
  /** Matching assertions (ascending by id in UTF-8 byte order) at one revision. */
  list(filter: DataspaceFilter): Promise<{
    /** The revision the list is the state at. */
    revision: number;
    /** The matching assertions. */
    assertions: Assertion[];
  }>;
  /** Retracts every assertion of every session whose lease expired; idempotent. */
  reap(): Promise<{
    /** Sessions found expired. */
    expired: number;
    /** Assertions retracted. */
    retracted: number;
  }>;
  /**
   * Removes at most `limit` ended sessions (closed or expired, their assertions already retracted)
   * that ended at or before now − `binding.retention.endedSessionsMs`. An open session is never
   * removed, and a removed session stays dead: every later operation on it fails with
   * SessionExpiredError as before (DSP-025). Returns how many it removed.
   */
  prune(limit: number): Promise<number>;
  /** Resolves once live: a snapshot, then every later matching change in revision order; bounded, with explicit resync. */
  subscribe(filter: DataspaceFilter, options?: { readonly bufferSize?: number }): Promise<Subscription<DataspaceEvent>>;
}
