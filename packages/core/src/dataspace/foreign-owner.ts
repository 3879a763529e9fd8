import { OwnershipError } from '../errors/outcome-errors.js';

/**
 * What it means for a write of assertion `id` that another session (`owner`, undefined when its row
 * is gone) owns it: OwnershipError while that session lives; `reap` when its lease ran out (it is
 * reaped, and the id is free); undefined when no session owns it any more.
 */
export function foreignOwner(
  id: string,
  owner: { readonly id: string; readonly owner: string } | undefined,
  ownerExpired: boolean,
): OwnershipError | 'reap' | undefined {
  if (!owner) return undefined;
  if (ownerExpired) return 'reap';
  return new OwnershipError(id, owner.owner, owner.id);
}
