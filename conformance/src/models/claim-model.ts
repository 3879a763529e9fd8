import { isDeepStrictEqual } from 'node:util';
import { expectModel, show } from './model-mismatch.js';
import { describeOutcome, type Outcome } from './outcome.js';

interface Claim {
  state: 'held' | 'released' | 'completed' | 'abandoned';
  holder: string | null;
  token: number;
  expiresAt: number | null;
  acquiredAt: number | null;
  renewedAt: number | null;
  completedAt: number | null;
  result: unknown;
  reason: string | null;
  takeovers: number;
}

/**
 * Reference model of a claim surface (spec/contract/claim.md), independent of any adapter. Tokens
 * are the backend's to choose; the model checks each is greater than every earlier token of the key.
 * Time is exact: a lease is unexpired while now < expiresAt.
 */
export class ClaimModel {
  private readonly claims = new Map<string, Claim>();

  constructor(private readonly now: () => number) {}

  /** The latest token of `key` (0 when never acquired). */
  token(key: string): number {
    return this.claims.get(key)?.token ?? 0;
  }

  private valid(c: Claim | undefined, token: number): boolean {
    return c !== undefined && c.state === 'held' && c.token === token && this.now() < (c.expiresAt as number);
  }

  checkAcquire(
    key: string,
    owner: string,
    leaseMs: number,
    observed: Outcome<{ status: string; [k: string]: unknown }>,
  ): void {
    const c = this.claims.get(key);
    const now = this.now();
    expectModel(observed.ok, ['CLM-001'], () => `acquire(${show(key)}) failed: ${describeOutcome(observed)}`);
    const got = observed.value;
    if (c?.state === 'completed') {
      expectModel(
        got.status === 'completed' &&
          isDeepStrictEqual(got['result'], c.result) &&
          got['holder'] === c.holder &&
          got['completedAt'] === c.completedAt,
        ['CLM-008', 'CLM-012'],
        () => `acquire of a completed claim gave ${show(got)}, expected its result ${show(c.result)} by ${c.holder}`,
      );
      return;
    }
    if (c?.state === 'abandoned') {
      expectModel(
        got.status === 'abandoned' && got['reason'] === c.reason && got['holder'] === c.holder,
        ['CLM-009'],
        () => `acquire of an abandoned claim gave ${show(got)}, expected reason ${show(c.reason)}`,
      );
      return;
    }
    if (c?.state === 'held' && now < (c.expiresAt as number)) {
      expectModel(
        got.status === 'held' && got['holder'] === c.holder && got['expiresAt'] === c.expiresAt,
        ['CLM-002', ...(owner === c.holder ? [] : (['CLM-004'] as const))],
        () =>
          `acquire by ${show(owner)} while ${show(c.holder)} holds until ${c.expiresAt} (now ${now}) gave ${show(got)}`,
      );
      return;
    }
    const takeover = c?.state === 'held';
    expectModel(
      got.status === 'acquired',
      [c === undefined ? 'CLM-001' : takeover ? 'CLM-004' : 'CLM-005'],
      () =>
        `acquire(${show(key)}) of a ${c ? (takeover ? 'expired' : c.state) : 'free'} claim gave ${show(got)}, expected acquired`,
    );
    const token = got['token'] as number;
    expectModel(
      Number.isSafeInteger(token) && token > (c?.token ?? 0),
      ['CLM-003'],
      () => `acquire returned token ${token}; it must be an integer above ${c?.token ?? 0}, the key's last token`,
    );
    expectModel(
      got['takeover'] === takeover,
      [takeover ? 'CLM-004' : 'CLM-005'],
      () => `acquire reports takeover ${show(got['takeover'])}, expected ${takeover}`,
    );
    expectModel(
      got['acquiredAt'] === now && got['expiresAt'] === now + leaseMs,
      ['CLM-001', 'CLM-010'],
      () =>
        `acquire reports acquiredAt ${show(got['acquiredAt'])}, expiresAt ${show(got['expiresAt'])}; expected ${now}, ${now + leaseMs}`,
    );
    this.claims.set(key, {
      state: 'held',
      holder: owner,
      token,
      expiresAt: now + leaseMs,
      acquiredAt: now,
      renewedAt: now,
      completedAt: null,
      result: null,
      reason: null,
      takeovers: (c?.takeovers ?? 0) + (takeover ? 1 : 0),
    });
  }

  /** Renew, complete, release or abandon with `token`: valid, or STATEPROOF_LEASE_LOST with nothing changed. */
  checkWrite(
    op: 'renew' | 'complete' | 'release' | 'abandon',
    key: string,
    token: number,
    arg: { leaseMs?: number; result?: unknown; reason?: string },
    observed: Outcome<unknown>,
  ): void {
    const c = this.claims.get(key);
    if (!this.valid(c, token)) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_LEASE_LOST',
        ['CLM-007'],
        () =>
          `${op}(${show(key)}) with token ${token} (latest ${c?.token ?? 'none'}, ${c?.state ?? 'never acquired'}, lease until ${c?.expiresAt ?? '-'}, now ${this.now()}) gave ${describeOutcome(observed)}, expected STATEPROOF_LEASE_LOST`,
      );
      return;
    }
    if (!c) return;
    const req = ({ renew: 'CLM-006', complete: 'CLM-008', release: 'CLM-005', abandon: 'CLM-009' } as const)[op];
    expectModel(
      observed.ok,
      [req],
      () => `${op}(${show(key)}) with the valid token ${token} failed: ${describeOutcome(observed)}`,
    );
    const now = this.now();
    if (op === 'renew') {
      const want = now + (arg.leaseMs as number);
      expectModel(
        (observed.value as { expiresAt?: unknown }).expiresAt === want,
        ['CLM-006'],
        () => `renew reports expiresAt ${show(observed.value)}, expected ${want}`,
      );
      c.expiresAt = want;
      c.renewedAt = now;
    } else if (op === 'complete') {
      expectModel(
        (observed.value as { completedAt?: unknown }).completedAt === now,
        ['CLM-010'],
        () => `complete reports ${show(observed.value)}, expected completedAt ${now}`,
      );
      Object.assign(c, { state: 'completed', result: arg.result, completedAt: now, expiresAt: null });
    } else if (op === 'release') {
      Object.assign(c, { state: 'released', holder: null, expiresAt: null });
    } else {
      Object.assign(c, { state: 'abandoned', reason: arg.reason, completedAt: now, expiresAt: null });
    }
  }

  checkGet(key: string, observed: Outcome<Record<string, unknown> | null>): void {
    const c = this.claims.get(key);
    expectModel(observed.ok, ['CLM-011'], () => `get(${show(key)}) failed: ${describeOutcome(observed)}`);
    const got = observed.value;
    if (!c) {
      expectModel(got === null, ['CLM-011'], () => `get of a key never acquired gave ${show(got)}`);
      return;
    }
    const want = { key, ...c };
    const fields = [
      'state',
      'holder',
      'token',
      'expiresAt',
      'acquiredAt',
      'renewedAt',
      'completedAt',
      'result',
      'reason',
      'takeovers',
    ] as const;
    for (const f of fields) {
      const frozen = c.state === 'completed' || c.state === 'abandoned';
      expectModel(
        got !== null && isDeepStrictEqual(got[f], want[f]),
        [frozen ? 'CLM-008' : f === 'acquiredAt' || f === 'renewedAt' || f === 'completedAt' ? 'CLM-010' : 'CLM-011'],
        () => `get(${show(key)}).${f} is ${show(got?.[f])}, expected ${show(want[f])}`,
      );
    }
    const t = [c.acquiredAt, c.renewedAt, c.completedAt].filter((x): x is number => x !== null);
    expectModel(
      t.every((x, i) => i === 0 || (t[i - 1] as number) <= x),
      ['CLM-010'],
      () => `timestamps out of order: ${show(t)}`,
    );
  }
}
