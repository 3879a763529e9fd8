import type { ClaimRecord } from '../adapter/claim-store.js';

/** Whether the lease of a claim has run out at `now` (a claim that is not held has no lease to run out). */
export function claimLeaseExpired(claim: Pick<ClaimRecord, 'expiresAt'>, now: number): boolean {
  return claim.expiresAt !== null && now >= claim.expiresAt;
}
