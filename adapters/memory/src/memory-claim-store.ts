import {
  claimHolderError,
  claimLeaseExpired,
  decideAcquire,
  type AcquireResult,
  type BeforeLeaseJudgement,
  type ClaimRecord,
  type ClaimStore,
  type Clock,
} from '@stateproof/core/adapter-kit';

type MutableClaim = { -readonly [K in keyof ClaimRecord]: ClaimRecord[K] };

/** The shared state of one claim surface. */
export interface ClaimSpace {
  readonly claims: Map<string, MutableClaim>;
}

/** A new, empty claim space. */
export function newClaimSpace(): ClaimSpace {
  return { claims: new Map() };
}

/**
 * Effect claims in memory (spec/contract/claim.md). A holder's write judges the lease by the clock
 * as it reads when the write takes effect, after the test seam `beforeLeaseJudgement` (which may
 * move that clock) and with no await between the judgement and the change.
 */
export class MemoryClaimStore implements ClaimStore {
  constructor(
    protected readonly space: ClaimSpace,
    protected readonly clock: Clock,
    /** Test seam (AdapterTestHooks): called at the start of every holder's write. */
    protected readonly beforeLeaseJudgement?: BeforeLeaseJudgement,
  ) {}

  /** Awaits the test seam, if any, before a holder's write of `key` judges its lease. */
  protected async leaseJudgement(operation: string, key: string): Promise<void> {
    await this.beforeLeaseJudgement?.({ kind: 'claim', operation, key });
  }

  /** Whether the lease of a held claim has run out at `now`. */
  protected expired(c: ClaimRecord, now: number): boolean {
    return claimLeaseExpired(c, now);
  }

  /** The claim `token` may act on: the key's latest token, still held, lease not expired. Else LeaseLostError. */
  protected holderOf(key: string, token: number, operation: string): MutableClaim {
    const c = this.space.claims.get(key);
    const lost = claimHolderError(operation, key, token, c, this.clock.now(), (held, now) => this.expired(held, now));
    if (lost) throw lost;
    return c as MutableClaim;
  }

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const now = this.clock.now();
    const d = decideAcquire(this.space.claims.get(key), now, (held, at) => this.expired(held, at));
    if (d.status !== 'free') return d;
    const expiresAt = now + leaseMs;
    this.space.claims.set(key, {
      key,
      state: 'held',
      holder: owner,
      token: d.token,
      expiresAt,
      acquiredAt: now,
      renewedAt: now,
      completedAt: null,
      result: null,
      reason: null,
      takeovers: d.takeovers,
    });
    return { status: 'acquired', token: d.token, takeover: d.takeover, acquiredAt: now, expiresAt };
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    await this.leaseJudgement('renew', key);
    const c = this.holderOf(key, token, 'renew');
    const now = this.clock.now();
    c.renewedAt = now;
    c.expiresAt = now + leaseMs;
    return { expiresAt: c.expiresAt };
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    await this.leaseJudgement('complete', key);
    const c = this.holderOf(key, token, 'complete');
    const now = this.clock.now();
    c.state = 'completed';
    c.result = result;
    c.completedAt = now;
    c.expiresAt = null;
    return { completedAt: now };
  }

  async release(key: string, token: number): Promise<void> {
    await this.leaseJudgement('release', key);
    const c = this.holderOf(key, token, 'release');
    c.state = 'released';
    c.holder = null;
    c.expiresAt = null;
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    await this.leaseJudgement('abandon', key);
    const c = this.holderOf(key, token, 'abandon');
    c.state = 'abandoned';
    c.reason = reason;
    c.completedAt = this.clock.now();
    c.expiresAt = null;
  }

  async get(key: string): Promise<ClaimRecord | null> {
    const c = this.space.claims.get(key);
    return c ? { ...c } : null;
  }
}
