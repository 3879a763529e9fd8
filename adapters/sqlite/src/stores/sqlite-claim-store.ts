import type Database from 'better-sqlite3';
import {
  claimHolderError,
  decideAcquire,
  type AcquireResult,
  type ClaimBinding,
  type ClaimRecord,
  type ClaimState,
  type ClaimStore,
} from '@stateproof/core/adapter-kit';
import { leaseJudgement } from './lease-judgement.js';
import type { StoreContext } from './store-context.js';

interface Row {
  key: string;
  state: ClaimState;
  holder: string | null;
  token: number;
  expires_at: number | null;
  acquired_at: number | null;
  renewed_at: number | null;
  completed_at: number | null;
  result: string | null;
  reason: string | null;
  takeovers: number;
}

const COLUMNS =
  'key, state, holder, token, expires_at, acquired_at, renewed_at, completed_at, result, reason, takeovers';

const toRecord = (r: Row): ClaimRecord => ({
  key: r.key,
  state: r.state,
  holder: r.holder,
  token: r.token,
  expiresAt: r.expires_at,
  acquiredAt: r.acquired_at,
  renewedAt: r.renewed_at,
  completedAt: r.completed_at,
  result: r.result,
  reason: r.reason,
  takeovers: r.takeovers,
});

/**
 * Effect claims in SQLite (spec/contract/claim.md). A claim is one row; every transition reads and
 * writes it in one transaction, and the fencing token is the row's token plus one, so tokens only
 * grow, across releases, takeovers and restarts. Lease expiry is computed from the adapter's clock.
 */
export class SqliteClaimStore implements ClaimStore {
  private readonly space: string;
  private readonly q: {
    readonly row: Database.Statement;
    readonly acquire: Database.Statement;
    readonly renew: Database.Statement;
    readonly complete: Database.Statement;
    readonly release: Database.Statement;
    readonly abandon: Database.Statement;
  };

  constructor(
    private readonly ctx: StoreContext,
    binding: ClaimBinding,
  ) {
    const t = ctx.tables.claims;
    const update = (set: string) => ctx.sql.get(`UPDATE ${t} SET ${set} WHERE space = ? AND key = ?`);
    this.space = binding.space;
    this.q = {
      row: ctx.sql.get(`SELECT ${COLUMNS} FROM ${t} WHERE space = ? AND key = ?`),
      acquire: ctx.sql.get(
        `INSERT INTO ${t} (space, key, state, holder, token, expires_at, acquired_at, renewed_at, completed_at, result, reason, takeovers)
         VALUES (?, ?, 'held', ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)
         ON CONFLICT (space, key) DO UPDATE SET state = 'held', holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at,
           acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at, completed_at = NULL, result = NULL, reason = NULL, takeovers = excluded.takeovers`,
      ),
      renew: update('renewed_at = ?, expires_at = ?'),
      complete: update("state = 'completed', result = ?, completed_at = ?, expires_at = NULL"),
      release: update("state = 'released', holder = NULL, expires_at = NULL"),
      abandon: update("state = 'abandoned', reason = ?, completed_at = ?, expires_at = NULL"),
    };
  }

  /** The stored claim of `key`, or undefined when it was never acquired. */
  private claim(key: string): ClaimRecord | undefined {
    const row = this.q.row.get(this.space, key) as Row | undefined;
    return row && toRecord(row);
  }

  /** Throws LeaseLostError unless `token` may act on `key` at `now`. */
  private assertHolder(key: string, token: number, operation: string, now: number): void {
    const lost = claimHolderError(operation, key, token, this.claim(key), now);
    if (lost) throw lost;
  }

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    return this.ctx.exec.write((): AcquireResult => {
      const now = this.ctx.clock.now();
      const d = decideAcquire(this.claim(key), now);
      if (d.status !== 'free') return d;
      const expiresAt = now + leaseMs;
      this.q.acquire.run(this.space, key, owner, d.token, expiresAt, now, now, d.takeovers);
      return { status: 'acquired', token: d.token, takeover: d.takeover, acquiredAt: now, expiresAt };
    });
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    return this.ctx.exec.write(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'claim', operation: 'renew', key });
      const now = this.ctx.clock.now();
      this.assertHolder(key, token, 'renew', now);
      this.q.renew.run(now, now + leaseMs, this.space, key);
      return { expiresAt: now + leaseMs };
    });
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    return this.ctx.exec.write(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'claim', operation: 'complete', key });
      const now = this.ctx.clock.now();
      this.assertHolder(key, token, 'complete', now);
      this.q.complete.run(result, now, this.space, key);
      return { completedAt: now };
    });
  }

  async release(key: string, token: number): Promise<void> {
    return this.ctx.exec.write(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'claim', operation: 'release', key });
      this.assertHolder(key, token, 'release', this.ctx.clock.now());
      this.q.release.run(this.space, key);
    });
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    return this.ctx.exec.write(() => {
      leaseJudgement(this.ctx.beforeLeaseJudgement, { kind: 'claim', operation: 'abandon', key });
      const now = this.ctx.clock.now();
      this.assertHolder(key, token, 'abandon', now);
      this.q.abandon.run(reason, now, this.space, key);
    });
  }

  async get(key: string): Promise<ClaimRecord | null> {
    return this.ctx.exec.read(() => this.claim(key) ?? null);
  }
}
