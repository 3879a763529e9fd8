/** The state of a claim. `completed` and `abandoned` are terminal. */
export type ClaimState = 'held' | 'released' | 'completed' | 'abandoned';

/** A claim as stored. */
export interface ClaimRecord {
  readonly key: string;
  readonly state: ClaimState;
  /** Current or last holder (frozen once terminal); null after a release. */
  readonly holder: string | null;
  /** The last fencing token issued for this key. */
  readonly token: number;
  /** Lease end of the current holder (epoch ms); null unless held. */
  readonly expiresAt: number | null;
  readonly acquiredAt: number | null;
  readonly renewedAt: number | null;
  readonly completedAt: number | null;
  /** Encoded result of a completed claim. */
  readonly result: string | null;
  /** Reason given to abandon. */
  readonly reason: string | null;
  /** Acquisitions that took over an expired lease. */
  readonly takeovers: number;
}

/** The outcome of {@link ClaimStore.acquire}. */
export type AcquireResult =
  | {
      readonly status: 'acquired';
      readonly token: number;
      readonly takeover: boolean;
      readonly acquiredAt: number;
      readonly expiresAt: number;
    }
  | { readonly status: 'held'; readonly holder: string; readonly expiresAt: number }
  | { readonly status: 'completed'; readonly result: string; readonly holder: string; readonly completedAt: number }
  | { readonly status: 'abandoned'; readonly reason: string; readonly holder: string; readonly completedAt: number };

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
  renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }>;
  /** Completes with an encoded result; terminal: result and holder are frozen forever. */
  complete(key: string, token: number, result: string): Promise<{ completedAt: number }>;
  /** Gives the claim up; it is re-acquirable at once and that acquisition is not a takeover. */
  release(key: string, token: number): Promise<void>;
  /** Terminal failure; later acquisitions return `abandoned`. */
  abandon(key: string, token: number, reason: string): Promise<void>;
  /** The stored claim, or null when the key was never acquired. */
  get(key: string): Promise<ClaimRecord | null>;
}
