import {
  claimLeaseLost,
  decideAcquire,
  type AcquireResult,
  type BeforeLeaseJudgement,
  type ClaimRecord,
  type ClaimState,
  type ClaimStore,
} from '@stateproof/core/adapter-kit';
import type { PgDatabase, Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { leaseJudged } from './pg-lease-judged.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function record(row: Row): ClaimRecord {
  return {
    key: row['key'] as string,
    state: row['state'] as ClaimState,
    holder: (row['holder'] as string | null) ?? null,
    token: Number(row['token']),
    expiresAt: num(row['expires_at']),
    acquiredAt: num(row['acquired_at']),
    renewedAt: num(row['renewed_at']),
    completedAt: num(row['completed_at']),
    result: (row['result'] as string | null) ?? null,
    reason: (row['reason'] as string | null) ?? null,
    takeovers: Number(row['takeovers']),
  };
}

/** Rounds of acquire when the key changes between the attempt and the look at who holds it. */
const ACQUIRE_ROUNDS = 8;

/**
 * Effect claims in Postgres (spec/contract/claim.md). Acquire is one upsert whose WHERE admits only
 * a free key (released, or held under an expired lease), so two processes can never both win; the
 * fencing token is the row's counter, bumped by every acquisition. Every write of a holder is an
 * UPDATE conditional on the token, the state and the lease, judged by the server's clock when the
 * row is written: a stale token changes nothing and gets STATEPROOF_LEASE_LOST.
 */
export class PgClaimStore implements ClaimStore {
  constructor(
    private readonly db: PgDatabase,
    private readonly s: string,
    private readonly spaceId: () => Promise<number>,
    /** Test seam (AdapterTestHooks), see leaseJudged. */
    private readonly beforeLeaseJudgement?: BeforeLeaseJudgement,
  ) {}

  async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const space = await this.spaceId();
    for (let round = 0; round < ACQUIRE_ROUNDS; round++) {
      const won = await this.db.query(
        'acquiring a claim',
        // The instant is read once, so that renewedAt equals acquiredAt and the lease is exactly leaseMs;
        // whether the old lease expired is judged when the row is locked, and a takeover's lease starts
        // no earlier than the old one ended (the statement may have waited for the lock).
        `with t as (select ${NOW} as now)
         insert into ${this.s}.claims as c (space_id, key, state, holder, token, expires_at, acquired_at, renewed_at, takeovers, last_takeover)
         select $1, $2, 'held', $3, 1, t.now + $4::bigint, t.now, t.now, 0, false from t
         on conflict (space_id, key) do update set
           state = 'held', holder = excluded.holder, token = c.token + 1, expires_at = greatest(excluded.acquired_at, c.expires_at) + $4::bigint,
           acquired_at = greatest(excluded.acquired_at, c.expires_at), renewed_at = greatest(excluded.acquired_at, c.expires_at),
           completed_at = null, result = null, reason = null,
           takeovers = c.takeovers + (c.state = 'held')::integer, last_takeover = (c.state = 'held')
         where c.state = 'released' or (c.state = 'held' and c.expires_at <= ${NOW})
         returning token, last_takeover, acquired_at, expires_at`,
        [space, key, owner, leaseMs],
      );
      const w = won[0];
      if (w)
        return {
          status: 'acquired',
          token: Number(w['token']),
          takeover: w['last_takeover'] === true,
          acquiredAt: Number(w['acquired_at']),
          expiresAt: Number(w['expires_at']),
        };
      // Not free when the statement ran: its terminal outcome or its holder, judged by the server's clock.
      const { claim, now } = await this.read(space, key);
      const d = decideAcquire(claim, now);
      if (d.status !== 'free') return d;
      // Released or expired in between: try again.
    }
    throw new Error(`internal: acquire of "${key}" did not settle after ${ACQUIRE_ROUNDS} rounds`);
  }

  /** The stored claim (null when never acquired) and the server's clock, from one statement. */
  private async read(space: number, key: string): Promise<{ claim: ClaimRecord | null; now: number }> {
    const rows = await this.db.query(
      'reading a claim',
      `select c.*, t.now from (select ${NOW} as now) t left join ${this.s}.claims c on c.space_id = $1 and c.key = $2`,
      [space, key],
      { idempotent: true },
    );
    const row = rows[0] as Row;
    return { claim: row['key'] === null ? null : record(row), now: Number(row['now']) };
  }

  /**
   * The instant a holder's write judges the lease by: NOW as the UPDATE runs, after any lock wait
   * (clock_timestamp(), never now(), which is the transaction's start).
   */
  protected get judgedAt(): string {
    return NOW;
  }

  /** Runs a holder's write; no row means the token is not valid, and the error says why. */
  private async holderWrite(
    operation: string,
    key: string,
    token: number,
    set: string,
    params: readonly unknown[],
  ): Promise<Row> {
    const space = await this.spaceId();
    const rows = await leaseJudged(this.db, this.beforeLeaseJudgement, {
      what: `${operation} of a claim`,
      write: { kind: 'claim', operation, key },
      lock: { sql: `select 1 from ${this.s}.claims where space_id = $1 and key = $2 for update`, params: [space, key] },
      judge: (run) =>
        run(
          `update ${this.s}.claims set ${set} where space_id = $1 and key = $2 and token = $3 and state = 'held' and expires_at > ${this.judgedAt} returning *`,
          [space, key, token, ...params],
        ),
    });
    if (rows[0]) return rows[0];
    throw claimLeaseLost(operation, key, token, await this.get(key));
  }

  async renew(key: string, token: number, leaseMs: number): Promise<{ expiresAt: number }> {
    const row = await this.holderWrite('renew', key, token, `renewed_at = ${NOW}, expires_at = ${NOW} + $4`, [leaseMs]);
    return { expiresAt: Number(row['expires_at']) };
  }

  async complete(key: string, token: number, result: string): Promise<{ completedAt: number }> {
    const row = await this.holderWrite(
      'complete',
      key,
      token,
      `state = 'completed', result = $4, completed_at = ${NOW}, expires_at = null`,
      [result],
    );
    return { completedAt: Number(row['completed_at']) };
  }

  async release(key: string, token: number): Promise<void> {
    await this.holderWrite('release', key, token, `state = 'released', holder = null, expires_at = null`, []);
  }

  async abandon(key: string, token: number, reason: string): Promise<void> {
    await this.holderWrite(
      'abandon',
      key,
      token,
      `state = 'abandoned', reason = $4, completed_at = ${NOW}, expires_at = null`,
      [reason],
    );
  }

  async get(key: string): Promise<ClaimRecord | null> {
    const space = await this.spaceId();
    const rows = await this.db.query(
      'reading a claim',
      `select * from ${this.s}.claims where space_id = $1 and key = $2`,
      [space, key],
      { idempotent: true },
    );
    return rows[0] ? record(rows[0]) : null;
  }
}
