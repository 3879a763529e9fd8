import { MemoryClaimStore, newClaimSpace } from '../../memory-claim-store.js';
import type { AcquireResult, ClaimRecord, ClaimStore, ClaimBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget } from './mutant-target.js';

type StoreClass = new (...args: ConstructorParameters<typeof MemoryClaimStore>) => MemoryClaimStore;

function withClaimStore(Store: StoreClass) {
  return class extends MemoryAdapter {
    override async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
      this.lifecycle.assertOpen();
      return new Store(this.ns.space('claim', binding.space, newClaimSpace), this.clock);
    }
  };
}

/** complete() writes the result whoever calls it: no check of the fencing token or the lease. */
class NoFencingOnComplete extends MemoryClaimStore {
  override async complete(key: string, _token: number, result: string): Promise<{ completedAt: number }> {
    const c = this.space.claims.get(key);
    const now = this.clock.now();
    if (c) Object.assign(c, { state: 'completed', result, completedAt: now, expiresAt: null });
    return { completedAt: now };
  }
}

/** A lease counts as expired at half its length, so live holders are taken over. */
class EarlyTakeover extends MemoryClaimStore {
  protected override expired(c: ClaimRecord, now: number): boolean {
    return c.expiresAt !== null && c.acquiredAt !== null && now >= c.acquiredAt + (c.expiresAt - c.acquiredAt) / 2;
  }
}

/** A completed claim is handed out again, as if it had been released. */
class CompletedReacquirable extends MemoryClaimStore {
  override async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const c = this.space.claims.get(key);
    if (c?.state === 'completed') c.state = 'released';
    return super.acquire(key, owner, leaseMs);
  }
}

/** Fencing tokens restart at 1 after a release. */
class TokenResetOnRelease extends MemoryClaimStore {
  override async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const c = this.space.claims.get(key);
    if (c?.state === 'released') c.token = 0;
    return super.acquire(key, owner, leaseMs);
  }
}

/** The claim mutants. */
export const CLAIM_MUTANTS: readonly Mutant[] = [
  {
    name: 'claim-no-fencing-on-complete',
    kind: 'claim',
    bug: 'complete accepts a stale or expired token',
    breaks: ['CLM-007'],
    target: () => mutantTarget('claim-no-fencing-on-complete', withClaimStore(NoFencingOnComplete)),
  },
  {
    name: 'claim-takeover-of-unexpired-lease',
    kind: 'claim',
    bug: 'a lease is taken over before it expires',
    breaks: ['CLM-002', 'CLM-004'],
    target: () => mutantTarget('claim-takeover-of-unexpired-lease', withClaimStore(EarlyTakeover)),
  },
  {
    name: 'claim-completed-reacquirable',
    kind: 'claim',
    bug: 'a completed claim can be acquired again and its effect re-run',
    breaks: ['CLM-008'],
    target: () => mutantTarget('claim-completed-reacquirable', withClaimStore(CompletedReacquirable)),
  },
  {
    name: 'claim-token-reset-after-release',
    kind: 'claim',
    bug: 'fencing tokens restart at 1 after a release',
    breaks: ['CLM-003'],
    target: () => mutantTarget('claim-token-reset-after-release', withClaimStore(TokenResetOnRelease)),
  },
];
