import {
  claimLeaseLost,
  type AcquireResult,
  type ClaimRecord,
  type ClaimState,
  type ClaimStore,
} from '@stateproof/core/adapter-kit';
import type { LuaScript } from '../client/lua-script.js';
import {
  CLAIM_ABANDON,
  CLAIM_ACQUIRE,
  CLAIM_COMPLETE,
  CLAIM_GET,
  CLAIM_RELEASE,
  CLAIM_RENEW,
} from '../scripts/claim-scripts.js';
import type { RedisStoreContext } from './redis-store-context.js';

type Reply = Array<string | number | null>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Effect claims in Redis (spec/contract/claim.md; structures in claim-scripts.ts). Each operation is
 * one script that judges the claim and writes it in the same atomic step, by the server's clock as
 * the script runs: acquire mirrors core's decideAcquire, and the holder's writes (renew, complete,
 * release, abandon) are compare-and-set on the token, the held state and the unexpired lease,
 * refused whole (STATEPROOF_LEASE_LOST, nothing changed) otherwise.
 */
export class RedisClaimStore implements ClaimStore {
  /** The scripts of each operation: a seam for the conformance kit's mutants, which swap one for a broken one. */
  protected scripts = {
    acquire: CLAIM_ACQUIRE,
    renew: CLAIM_RENEW,
    complete: CLAIM_COMPLETE,
    release: CLAIM_RELEASE,
    abandon: CLAIM_ABANDON,
    get: CLAIM_GET,
  };

  constructor(private readonly ctx: RedisStoreContext) {}

  private hash(key: string): string {
    return this.ctx.keys.of('c', key);
  }

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const r = (await this.ctx.runner.write(
      this.scripts.acquire,
      'acquiring a claim',
      [this.hash(key)],
      [owner, leaseMs],
    )) as Reply;
    switch (r[0]) {
      case 'acquired':
        return {
          status: 'acquired',
          token: Number(r[1]),
          takeover: Number(r[2]) === 1,
          acquiredAt: Number(r[3]),
          expiresAt: Number(r[4]),
        };
      case 'held':
        return { status: 'held', holder: String(r[1]), expiresAt: Number(r[2]) };
      case 'completed':
      case 'abandoned':
        return this.terminal(key, r[0], String(r[1]), Number(r[2]));
      default:
        throw new Error(`internal: unexpected reply of claim-acquire: ${JSON.stringify(r)}`);
    }
  }

  /**
   * The terminal outcome an acquire found, with the result or reason it left out of its reply (see
   * CLAIM_ACQUIRE): read afterwards, which is safe because a terminal claim never changes again.
   */
  private async terminal(
    key: string,
    status: 'completed' | 'abandoned',
    holder: string,
    completedAt: number,
  ): Promise<AcquireResult> {
    const c = await this.get(key);
    if (c?.state !== status) throw new Error(`internal: the ${status} claim "${key}" reads as ${c?.state ?? 'absent'}`);
    return status === 'completed'
      ? { status, result: c.result as string, holder, completedAt }
      : { status, reason: c.reason as string, holder, completedAt };
  }

  /**
   * Runs one of the holder's writes: the test seam first (the suite may let the lease run out
   * there), then the script, which judges the lease by the instant it runs at.
   */
  private async holderWrite(
    operation: 'renew' | 'complete' | 'release' | 'abandon',
    script: LuaScript,
    key: string,
    token: number,
    args: readonly (string | number)[],
  ): Promise<Reply> {
    await this.ctx.testHooks.beforeLeaseJudgement?.({ kind: 'claim', operation, key });
    const r = (await this.ctx.runner.write(
      script,
      `${operation} of a claim`,
      [this.hash(key)],
      [token, ...args],
    )) as Reply;
    if (r[0] === 'lease-lost') {
      const snapshot =
        r[1] === null ? null : { state: String(r[1]) as ClaimState, token: Number(r[2]), expiresAt: num(r[3]) };
      throw claimLeaseLost(operation, key, token, snapshot);
    }
    return r;
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    const r = await this.holderWrite('renew', this.scripts.renew, key, token, [leaseMs]);
    return { expiresAt: Number(r[1]) };
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    const r = await this.holderWrite('complete', this.scripts.complete, key, token, [result]);
    return { completedAt: Number(r[1]) };
  }

  async release(key: string, token: number): Promise<void> {
    await this.holderWrite('release', this.scripts.release, key, token, []);
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    await this.holderWrite('abandon', this.scripts.abandon, key, token, [reason]);
  }

  async get(key: string): Promise<ClaimRecord | null> {
    const r = (await this.ctx.runner.read(this.scripts.get, 'reading a claim', [this.hash(key)], [])) as Reply | null;
    if (!r) return null;
    return {
      key,
      state: String(r[0]) as ClaimState,
      holder: str(r[1]),
      token: Number(r[2]),
      expiresAt: num(r[3]),
      acquiredAt: num(r[4]),
      renewedAt: num(r[5]),
      completedAt: num(r[6]),
      result: str(r[7]),
      reason: str(r[8]),
      takeovers: Number(r[9] ?? 0),
    };
  }
}
