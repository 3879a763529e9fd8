import type { AcquireResult, ClaimRecord, ClaimStore } from '../adapter/claim-store.js';
import type { StoreGuard } from './store-guard.js';

/** A claim store behind core's guard: refused once closed (claims have no optional features). */
export class GuardedClaimStore implements ClaimStore {
  constructor(
    private readonly store: ClaimStore,
    private readonly guard: StoreGuard,
  ) {}

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    this.guard.open();
    return this.store.acquire(key, owner, leaseMs);
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    this.guard.open();
    return this.store.renew(key, token, leaseMs);
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    this.guard.open();
    return this.store.complete(key, token, result);
  }

  async release(key: string, token: number): Promise<void> {
    this.guard.open();
    return this.store.release(key, token);
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    this.guard.open();
    return this.store.abandon(key, token, reason);
  }

  async get(key: string): Promise<ClaimRecord | null> {
    this.guard.open();
    return this.store.get(key);
  }
}
