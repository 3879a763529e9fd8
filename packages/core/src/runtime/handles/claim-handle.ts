import type { ClaimOutcome, ClaimRecord, ClaimState, ClaimStore } from '../../adapter/claim-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { validateKey } from '../../scope/validate-key.js';
import { optionalInt } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';
import { leaseOption } from './lease-option.js';
import { textField } from './text-field.js';

/** A claim as a reader sees it. */
export interface ClaimInfo<R> {
  /** The claim key. */
  readonly key: string;
  /** Its state. */
  readonly state: ClaimState;
  /** Current or last holder (frozen once terminal); null after a release. */
  readonly holder: string | null;
  /** The last fencing token issued for this key. */
  readonly token: number;
  /** Lease end of the current holder (epoch ms); null unless held. */
  readonly expiresAt: number | null;
  /** When the current or last holder acquired it (epoch ms). */
  readonly acquiredAt: number | null;
  /** When the lease was last acquired or renewed (epoch ms). */
  readonly renewedAt: number | null;
  /** When it became terminal (epoch ms); null until then. */
  readonly completedAt: number | null;
  /** The result of a completed claim. */
  readonly result: R | null;
  /** The reason given to abandon it. */
  readonly reason: string | null;
  /** Acquisitions that took over an expired lease. */
  readonly takeovers: number;
}

function checkToken(token: unknown): number {
  const t = optionalInt(token, 'token');
  if (t === undefined)
    throw new InvalidOptionsError('token is required (the fencing token acquire returned)', { path: 'token' });
  return t;
}

/** Typed access to a claim surface (spec/contract/claim.md). */
export class ClaimHandle<R> {
  /** @internal */
  constructor(private readonly ctx: HandleContext<ClaimStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  /** Acquires `key` for `owner`: acquired (with a fencing token), held by someone else, or its terminal outcome. */
  async acquire(key: string, options: { readonly owner: string; readonly leaseMs?: number }): Promise<ClaimOutcome<R>> {
    validateKey(key, 'key');
    const leaseMs = leaseOption(this.ctx.surface, options);
    validateKey(options.owner, 'owner');
    const r = await (await this.ctx.store()).acquire(key, options.owner, leaseMs);
    return r.status === 'completed' ? { ...r, result: this.ctx.codec<R>('result').decode(r.result) } : r;
  }

  /** Extends the lease of the holder of `token`; STATEPROOF_LEASE_LOST when the token is stale. */
  async renew(
    key: string,
    token: number,
    options?: { readonly leaseMs?: number },
  ): Promise<{
    /** The new end of the lease (epoch ms). */
    expiresAt: number;
  }> {
    validateKey(key, 'key');
    return (await this.ctx.store()).renew(key, checkToken(token), leaseOption(this.ctx.surface, options));
  }

  /** Completes the claim with `result`; terminal. */
  async complete(
    key: string,
    token: number,
    result: R,
  ): Promise<{
    /** When it was completed (epoch ms). */
    completedAt: number;
  }> {
    validateKey(key, 'key');
    const t = checkToken(token);
    const encoded = this.ctx.codec<R>('result').encode(result);
    return (await this.ctx.store()).complete(key, t, encoded);
  }

  /** Gives the claim up; anyone may acquire it at once, without counting a takeover. */
  async release(key: string, token: number): Promise<void> {
    validateKey(key, 'key');
    return (await this.ctx.store()).release(key, checkToken(token));
  }

  /** Fails the claim for good; later acquisitions return `abandoned` with the reason. */
  async abandon(key: string, token: number, reason: string | Error): Promise<void> {
    validateKey(key, 'key');
    const t = checkToken(token);
    return (await this.ctx.store()).abandon(key, t, textField(reason, 'reason'));
  }

  /** The stored claim, or null when the key was never acquired. */
  async get(key: string): Promise<ClaimInfo<R> | null> {
    validateKey(key, 'key');
    const c: ClaimRecord | null = await (await this.ctx.store()).get(key);
    if (!c) return null;
    return { ...c, result: c.result === null ? null : this.ctx.codec<R>('result').decode(c.result) };
  }
}
