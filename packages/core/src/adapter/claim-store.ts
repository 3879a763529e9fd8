/** The state of a claim. `completed` and `abandoned` are terminal. */
export type ClaimState = 'held' | 'released' | 'completed' | 'abandoned';

/** A claim as stored. */
export interface ClaimRecord {
  /** The claim key. */
  readonly key: string;
  /** Its state. */
  readonly state: ClaimState;
  /** Current or last holder (frozen once terminal); null after a release. */
  readonly holder: string | null;
  /** The last fencing token issued for this key. */
  readonly token: number;
  /** Lease end of the current holder (epoch ms); null unless held. */
  readonly expiresAt: number | null;
  /** When the current or last holder acquired it (epoch ms). */
  readonly acquiredAt: number | null;
  /** When the lease was last acquired or renewed (epoch ms). */
  readonly renewedAt: number | null;
  /** When it became terminal (epoch ms); null until then. */
  readonly completedAt: number | null;
  /** Encoded result of a completed claim. */
  readonly result: string | null;
  /** Reason given to abandon. */
  readonly reason: string | null;
  /** Acquisitions that took over an expired lease. */
  readonly takeovers: number;
}

/**
 * The outcome of an acquire, with the completed claim's result as `R`: the encoded string at the
 * store ({@link AcquireResult}), the decoded value at the handle.
 */
export type ClaimOutcome<R> =
  | {
      /** The caller holds the claim now. */
      readonly status: 'acquired';
      /** Its fencing token, greater than every earlier token of the key; pass it to every later call. */
      readonly token: number;
      /** Whether an expired lease was taken over (the previous holder may have done part of the work). */
      readonly takeover: boolean;
      /** When it was acquired (epoch ms). */
      readonly acquiredAt: number;
      /** When the lease ends unless renewed (epoch ms). */
      readonly expiresAt: number;
    }
  | {
      /** Another owner holds an unexpired lease. */
      readonly status: 'held';
      /** That owner. */
      readonly holder: string;
      /** When its lease ends (epoch ms). */
      readonly expiresAt: number;
    }
  | {
      /** The claim was completed; terminal. */
      readonly status: 'completed';
      /** The result it was completed with. */
      readonly result: R;
      /** The owner that completed it. */
      readonly holder: string;
      /** When (epoch ms). */
      readonly completedAt: number;
    }
  | {
      /** The claim was abandoned; terminal. */
      readonly status: 'abandoned';
      /** The reason given. */
      readonly reason: string;
      /** The owner that abandoned it. */
      readonly holder: string;
      /** When (epoch ms). */
      readonly completedAt: number;
    };

/** The outcome of {@link ClaimStore.acquire}: a completed claim's result still encoded. */
export type AcquireResult = ClaimOutcome<string>;

/**
 * Effect claims / idempotency keys with leases (spec/contract/claim.md). At most one unexpired holder
 * per key at any instant. A token is valid only while it is the key's latest token and its lease has
 * not expired; any write with another token throws LeaseLostError and changes nothing.
 */
export interface ClaimStore {
  /**
   * Acquires `key` for `owner` for `leaseMs`: `acquired` with a fencing token greater than every
   * earlier token of the key (`takeover` when an expired lease was taken over), `held` while another
   * lease is unexpired, or the terminal outcome (`completed` with its result, or `abandoned`).
   */
  acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult>;
  /** Extends the lease to now + leaseMs. */
  renew(
    key: string,
    token: number,
    leaseMs: number,
  ): Promise<{
    /** The new end of the lease (epoch ms). */
    expiresAt: number;
  }>;
  /** Completes with an encoded result; terminal: result and holder are frozen forever. */
  complete(
    key: string,
    token: number,
    result: string,
  ): Promise<{
    /** When it was completed (epoch ms). */
    completedAt: number;
  }>;
  /** Gives the claim up; it is re-acquirable at once and that acquisition is not a takeover. */
  release(key: string, token: number): Promise<void>;
  /** Terminal failure; later acquisitions return `abandoned`. */
  abandon(key: string, token: number, reason: string): Promise<void>;
  /** The stored claim, or null when the key was never acquired. */
  get(key: string): Promise<ClaimRecord | null>;
}
