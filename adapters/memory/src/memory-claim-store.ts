import { LeaseLostError, type AcquireResult, type ClaimRecord, type ClaimStore, type Clock, type AdapterLifecycle } from '@stateproof/core';

type MutableClaim = { -readonly [K in keyof ClaimRecord]: ClaimRecord[K] };

/** The shared state of one claim surface. */
export interface ClaimSpace {
  readonly claims: Map<string, MutableClaim>;
}

/** A new, empty claim space. */
export function newClaimSpace(): ClaimSpace {
  return { claims: new Map() };
}

/** Effect claims in memory (spec/contract/claim.md). */
export class MemoryClaimStore implements ClaimStore {
  constructor(
    protected readonly space: ClaimSpace,
    protected readonly clock: Clock,
    protected readonly lifecycle: AdapterLifecycle,
  ) {}

  /** Whether the lease of a held claim has run out at `now`. */
  protected expired(c: ClaimRecord, now: number): boolean {
    return c.expiresAt !== null && now >= c.expiresAt;
  }

  /** The claim `token` may act on: the key's latest token, still held, lease not expired. Else LeaseLostError. */
  protected holderOf(key: string, token: number, operation: string): MutableClaim {
    const c = this.space.claims.get(key);
    if (!c) throw new LeaseLostError(`${operation} of "${key}": the key was never acquired`);
    if (c.token !== token) throw new LeaseLostError(`${operation} of "${key}" with token ${token}: the current token is ${c.token}`);
    if (c.state !== 'held') throw new LeaseLostError(`${operation} of "${key}": the claim is ${c.state}`);
    if (this.expired(c, this.clock.now())) throw new LeaseLostError(`${operation} of "${key}": the lease expired at ${c.expiresAt}`);
    return c;
  }

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    this.lifecycle.assertOpen();
    const now = this.clock.now();
    const c = this.space.claims.get(key);
    if (c?.state === 'completed') return { status: 'completed', result: c.result as string, holder: c.holder as string, completedAt: c.completedAt as number };
    if (c?.state === 'abandoned') return { status: 'abandoned', reason: c.reason as string, holder: c.holder as string, completedAt: c.completedAt as number };
    if (c?.state === 'held' && !this.expired(c, now)) return { status: 'held', holder: c.holder as string, expiresAt: c.expiresAt as number };
    const takeover = c?.state === 'held';
    const next: MutableClaim = {
      key,
      state: 'held',
      holder: owner,
      token: (c?.token ?? 0) + 1,
      expiresAt: now + leaseMs,
      acquiredAt: now,
      renewedAt: now,
      completedAt: null,
      result: null,
      reason: null,
      takeovers: (c?.takeovers ?? 0) + (takeover ? 1 : 0),
    };
    this.space.claims.set(key, next);
    return { status: 'acquired', token: next.token, takeover, acquiredAt: now, expiresAt: next.expiresAt as number };
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    this.lifecycle.assertOpen();
    const c = this.holderOf(key, token, 'renew');
    const now = this.clock.now();
    c.renewedAt = now;
    c.expiresAt = now + leaseMs;
    return { expiresAt: c.expiresAt };
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    this.lifecycle.assertOpen();
    const c = this.holderOf(key, token, 'complete');
    const now = this.clock.now();
    c.state = 'completed';
    c.result = result;
    c.completedAt = now;
    c.expiresAt = null;
    return { completedAt: now };
  }

  async release(key: string, token: number): Promise<void> {
    this.lifecycle.assertOpen();
    const c = this.holderOf(key, token, 'release');
    c.state = 'released';
    c.holder = null;
    c.expiresAt = null;
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    this.lifecycle.assertOpen();
    const c = this.holderOf(key, token, 'abandon');
    c.state = 'abandoned';
    c.reason = reason;
    c.completedAt = this.clock.now();
    c.expiresAt = null;
  }

  async get(key: string): Promise<ClaimRecord | null> {
    this.lifecycle.assertOpen();
    const c = this.space.claims.get(key);
    return c ? { ...c } : null;
  }
}
