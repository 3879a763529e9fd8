import type { AcquireResult, ClaimRecord } from '../adapter/claim-store.js';
import { claimLeaseExpired } from './claim-lease.js';

/** The key is free for the caller: the token and takeover count its acquisition writes. */
export interface FreeClaim {
  /** The key can be acquired. */
  readonly status: 'free';
  /** The new fencing token: one more than the key's last. */
  readonly token: number;
  /** Whether the acquisition takes over an expired lease. */
  readonly takeover: boolean;
  /** The key's takeover count after this acquisition. */
  readonly takeovers: number;
}

/** What acquiring a key finds: its terminal outcome, an unexpired holder, or the key free. */
export type AcquireDecision =
  | Exclude<
      AcquireResult,
      {
        /** Left out: `acquired` is what the store's write makes of a free key. */
        readonly status: 'acquired';
      }
    >
  | FreeClaim;

/**
 * What an acquire of `claim` (null when the key was never acquired) does at `now`: a completed or
 * abandoned claim answers with its terminal outcome, an unexpired lease with its holder; anything
 * else is free, with a token greater than every earlier one, and a takeover when a lease ran out
 * (a released claim is not taken over). `expired` judges the lease (by default {@link claimLeaseExpired}).
 */
export function decideAcquire<C extends ClaimRecord>(
  claim: C | null | undefined,
  now: number,
  expired: (claim: C, now: number) => boolean = claimLeaseExpired,
): AcquireDecision {
  if (claim?.state === 'completed') {
    return {
      status: 'completed',
      result: claim.result as string,
      holder: claim.holder as string,
      completedAt: claim.completedAt as number,
    };
  }
  if (claim?.state === 'abandoned') {
    return {
      status: 'abandoned',
      reason: claim.reason as string,
      holder: claim.holder as string,
      completedAt: claim.completedAt as number,
    };
  }
  if (claim?.state === 'held' && !expired(claim, now))
    return { status: 'held', holder: claim.holder as string, expiresAt: claim.expiresAt as number };
  const takeover = claim?.state === 'held';
  return {
    status: 'free',
    token: (claim?.token ?? 0) + 1,
    takeover,
    takeovers: (claim?.takeovers ?? 0) + (takeover ? 1 : 0),
  };
}
