import type { ClaimRecord } from '../adapter/claim-store.js';
import { LeaseLostError } from '../errors/outcome-errors.js';
import { claimLeaseExpired } from './claim-lease.js';

/** What the holder check reads of a claim. */
export type ClaimSnapshot = Pick<ClaimRecord, 'state' | 'token' | 'expiresAt'>;

/**
 * Why a write of the holder of `token` on `key` was refused, from the claim as it is now: the key was
 * never acquired, `token` is not its latest token, the claim is no longer held, or else its lease
 * expired. For a backend whose conditional write already refused, and that only needs the reason.
 */
export function claimLeaseLost(
  operation: string,
  key: string,
  token: number,
  claim: ClaimSnapshot | null | undefined,
): LeaseLostError {
  if (!claim) return new LeaseLostError(`${operation} of "${key}": the key was never acquired`);
  if (claim.token !== token)
    return new LeaseLostError(`${operation} of "${key}" with token ${token}: the current token is ${claim.token}`);
  if (claim.state !== 'held') return new LeaseLostError(`${operation} of "${key}": the claim is ${claim.state}`);
  return new LeaseLostError(`${operation} of "${key}": the lease expired at ${claim.expiresAt}`);
}

/**
 * Why the holder of `token` may not write `key` at `now`, or undefined when it may: a token is valid
 * only while it is the key's latest, the claim is held, and its lease has not expired
 * (spec/contract/claim.md). `expired` judges the lease (by default {@link claimLeaseExpired}).
 */
export function claimHolderError<C extends ClaimSnapshot>(
  operation: string,
  key: string,
  token: number,
  claim: C | null | undefined,
  now: number,
  expired: (claim: C, now: number) => boolean = claimLeaseExpired,
): LeaseLostError | undefined {
  if (claim && claim.token === token && claim.state === 'held' && !expired(claim, now)) return undefined;
  return claimLeaseLost(operation, key, token, claim);
}
