import {
  checkSession,
  closeSessionDecision,
  filterMatcher,
  foreignOwner,
  type Assertion,
  type DataspaceEvent,
  type DataspaceFilter,
  type DataspaceStore,
  type SessionState,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import type { Queryable, Row } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';
import { sqlLiteral } from '../db/sql-names.js';
import { globToLike } from './glob-like.js';
import { subscribeToChanges } from './pg-dataspace-subscription.js';
import type { PgDataspaceContext } from './pg-store-context.js';

interface SessionRow {
  id: string;
  owner: string;
  state: SessionState;
  /** Whether its lease ran out, judged by the server's clock under the row lock. */
  expired: boolean;
}

/** What a write found when it had to give up after committing a reap (the error is thrown after the commit). */
type Deferred<T> = { readonly value: T } | { readonly error: Error };

function assertion(row: Row): Assertion {
  return {
    id: row['id'] as string,
    value: row['value'] as string,
    session: String(row['session_id']),
    owner: row['owner'] as string,
    revision: Number(row['revision']),
  };
}

/** SQL condition and parameters for a filter, given the index of its first parameter and the glob translation. */
function filterSql(
  filter: DataspaceFilter,
  p: number,
  like: (pattern: string) => string,
): { where: string; params: unknown[] } {
  switch (filter.type) {
    case 'all':
      return { where: 'true', params: [] };
    case 'exact':
      return { where: `id = $${p}`, params: [filter.id] };
    case 'prefix':
      return { where: `id >= $${p} collate "C" and starts_with(id, $${p})`, params: [filter.prefix] };
    case 'glob':
      return { where: `id like $${p}`, params: [like(filter.pattern)] };
  }
}

/**
 * Owned assertions in Postgres (spec/contract/dataspace.md). Sessions with their leases, the
 * assertions and a change feed are tables. Every change runs in a transaction that first takes the
 * dataspace's revision row: changes are serialised per surface, so revisions commit in order and
 * a reader that has seen revision R has seen everything before it. Subscribers take a snapshot (the
 * assertions and the revision, from one statement) and then stream the feed after that revision;
 * NOTIFY, sent on commit, only wakes them (they poll too), so a lost notification or a dropped
 * connection delays a change and never loses it.
 */
export class PgDataspaceStore implements DataspaceStore {
  private readonly nextSession: string;

  constructor(private readonly ctx: PgDataspaceContext) {
    this.nextSession = `nextval(${sqlLiteral(`${ctx.s}.session_ids`)}::regclass)`;
  }

  private get s(): string {
    return this.ctx.s;
  }

  /**
   * The LIKE pattern that narrows a glob filter's query (the refilter by core's matcher then decides):
   * it must select a superset of the glob's matches. Protected as the seam of the glob mutants.
   */
  protected globLike(pattern: string): string {
    return globToLike(pattern);
  }

  /**
   * Runs a change: takes the revision row, runs `fn` with a revision counter, stores the counter and
   * sends the wake-up on commit. A `Deferred` error is thrown after the commit, so that a reap `fn`
   * did on its way (of an expired session) is kept.
   */
  private async change<T>(
    what: string,
    fn: (tx: Queryable, space: number, rev: { value: number }) => Promise<Deferred<T>>,
  ): Promise<T> {
    const [space, channel] = await Promise.all([this.ctx.spaceId(), this.ctx.channel()]);
    const outcome = await this.ctx.db.transaction(what, async (tx) => {
      await tx.query(
        `insert into ${this.s}.ds_revisions (space_id, revision) values ($1, 0) on conflict (space_id) do nothing`,
        [space],
      );
      const locked = await tx.query<{ revision: string }>(
        `select revision from ${this.s}.ds_revisions where space_id = $1 for update`,
        [space],
      );
      const start = Number(locked[0]?.revision ?? 0);
      const rev = { value: start };
      const result = await fn(tx, space, rev);
      if (rev.value !== start) {
        await tx.query(`update ${this.s}.ds_revisions set revision = $2 where space_id = $1`, [space, rev.value]);
        await tx.query(`select pg_notify($1, $2)`, [channel, String(rev.value)]);
      }
      return result;
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private async session(tx: Queryable, space: number, id: string): Promise<SessionRow | undefined> {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
    const rows = await tx.query<SessionRow>(
      `select id, owner, state, (state = 'open' and expires_at <= ${NOW}) as expired from ${this.s}.ds_sessions where space_id = $1 and id = $2 for update`,
      [space, id],
    );
    return rows[0] ? { ...rows[0], id: String(rows[0].id) } : undefined;
  }

  /** Ends a session and retracts each of its assertions once, in id order, with the next revisions. */
  private async retractAll(
    tx: Queryable,
    space: number,
    session: SessionRow,
    reason: 'closed' | 'expired',
    rev: { value: number },
  ): Promise<number> {
    const rows = await tx.query(
      `with d as (delete from ${this.s}.ds_assertions where space_id = $1 and session_id = $2 returning id, owner)
       insert into ${this.s}.ds_changes (space_id, revision, type, id, value, session_id, owner, reason)
       select $1, $3::bigint + row_number() over (order by id), 'retracted', id, null, $2, owner, $4 from d
       returning revision`,
      [space, session.id, rev.value, reason],
    );
    rev.value += rows.length;
    await tx.query(`update ${this.s}.ds_sessions set state = $2 where space_id = $1 and id = $3`, [
      space,
      reason,
      session.id,
    ]);
    session.state = reason;
    return rows.length;
  }

  /** The live session `id`, or why not: an expired one is reaped here (kept by the commit) before SessionExpiredError. */
  private async live(tx: Queryable, space: number, id: string, rev: { value: number }): Promise<SessionRow | Error> {
    const s = await this.session(tx, space, id);
    const check = checkSession(id, s, s?.expired === true);
    if (check.live) return s as SessionRow;
    if (check.reap) await this.retractAll(tx, space, s as SessionRow, 'expired', rev);
    return check.error;
  }

  /**
   * Whether `id` is asserted, and the OwnershipError when a live session other than `self` owns it;
   * a dead owner is reaped first (then the id is free).
   */
  private async ownership(
    tx: Queryable,
    space: number,
    id: string,
    self: SessionRow,
    rev: { value: number },
  ): Promise<{ error?: Error; exists: boolean }> {
    const rows = await tx.query<{ session_id: string }>(
      `select session_id from ${this.s}.ds_assertions where space_id = $1 and id = $2 for update`,
      [space, id],
    );
    const a = rows[0];
    if (!a) return { exists: false };
    if (String(a.session_id) === self.id) return { exists: true };
    const owner = await this.session(tx, space, String(a.session_id));
    const verdict = foreignOwner(id, owner, owner?.expired === true);
    if (verdict !== 'reap') return verdict ? { error: verdict, exists: true } : { exists: true };
    await this.retractAll(tx, space, owner as SessionRow, 'expired', rev);
    return { exists: false };
  }

  async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    const space = await this.ctx.spaceId();
    const rows = await this.ctx.db.query(
      'opening a session',
      `insert into ${this.s}.ds_sessions (id, space_id, owner, expires_at, state) values (${this.nextSession}, $1, $2, ${NOW} + $3::bigint, 'open') returning id, expires_at`,
      [space, owner, leaseMs],
    );
    const r = rows[0] as Row;
    return { session: String(r['id']), expiresAt: Number(r['expires_at']) };
  }

  async heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }> {
    const space = await this.ctx.spaceId();
    if (/^[1-9][0-9]{0,17}$/.test(session)) {
      const rows = await this.ctx.db.query(
        'heartbeat of a session',
        `update ${this.s}.ds_sessions set expires_at = ${NOW} + $3::bigint where space_id = $1 and id = $2 and state = 'open' and expires_at > ${NOW} returning expires_at`,
        [space, session, leaseMs],
      );
      if (rows[0]) return { expiresAt: Number(rows[0]['expires_at']) };
    }
    // Not live: say why, reaping it if it just expired.
    return this.change<{ expiresAt: number }>('heartbeat of a session', async (tx, sp, rev) => {
      const s = await this.live(tx, sp, session, rev);
      if (s instanceof Error) return { error: s };
      const rows = await tx.query(
        `update ${this.s}.ds_sessions set expires_at = ${NOW} + $3::bigint where space_id = $1 and id = $2 returning expires_at`,
        [sp, session, leaseMs],
      );
      return { value: { expiresAt: Number(rows[0]?.['expires_at']) } };
    });
  }

  async closeSession(session: string): Promise<{ retracted: number }> {
    return this.change<{ retracted: number }>('closing a session', async (tx, space, rev) => {
      const s = await this.session(tx, space, session);
      const d = closeSessionDecision(session, s, s?.expired === true);
      if ('error' in d) return d;
      const ended = s as SessionRow;
      if (d.end === 'closed') return { value: { retracted: await this.retractAll(tx, space, ended, 'closed', rev) } };
      if (d.end === 'expired') await this.retractAll(tx, space, ended, 'expired', rev);
      return { value: { retracted: 0 } };
    });
  }

  async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    return this.change<{ revision: number }>('asserting', async (tx, space, rev) => {
      const s = await this.live(tx, space, session, rev);
      if (s instanceof Error) return { error: s };
      const other = await this.ownership(tx, space, id, s, rev);
      if (other.error) return { error: other.error };
      const revision = ++rev.value;
      await tx.query(
        `with a as (
           insert into ${this.s}.ds_assertions (space_id, id, value, session_id, owner, revision) values ($1, $2, $3, $4, $5, $6)
           on conflict (space_id, id) do update set value = excluded.value, session_id = excluded.session_id, owner = excluded.owner, revision = excluded.revision
         )
         insert into ${this.s}.ds_changes (space_id, revision, type, id, value, session_id, owner, reason) values ($1, $6, 'asserted', $2, $3, $4, $5, null)`,
        [space, id, value, s.id, s.owner, revision],
      );
      return { value: { revision } };
    });
  }

  async retract(session: string, id: string): Promise<{ revision: number } | null> {
    return this.change<{ revision: number } | null>('retracting', async (tx, space, rev) => {
      const s = await this.live(tx, space, session, rev);
      if (s instanceof Error) return { error: s };
      const other = await this.ownership(tx, space, id, s, rev);
      if (other.error) return { error: other.error };
      if (!other.exists) return { value: null };
      const revision = ++rev.value;
      await tx.query(
        `with d as (delete from ${this.s}.ds_assertions where space_id = $1 and id = $2 returning id)
         insert into ${this.s}.ds_changes (space_id, revision, type, id, value, session_id, owner, reason) values ($1, $3, 'retracted', $2, null, $4, $5, 'retracted')`,
        [space, id, revision, s.id, s.owner],
      );
      return { value: { revision } };
    });
  }

  async get(id: string): Promise<Assertion | null> {
    const space = await this.ctx.spaceId();
    const rows = await this.ctx.db.query(
      'reading an assertion',
      `select id, value, session_id, owner, revision from ${this.s}.ds_assertions where space_id = $1 and id = $2`,
      [space, id],
      { idempotent: true },
    );
    return rows[0] ? assertion(rows[0]) : null;
  }

  async list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    const space = await this.ctx.spaceId();
    const f = filterSql(filter, 2, (pattern) => this.globLike(pattern));
    // One statement, one snapshot: the assertions are exactly those of the revision read with them.
    const rows = await this.ctx.db.query(
      'listing assertions',
      `select r.revision as at_revision, a.id, a.value, a.session_id, a.owner, a.revision
       from (select coalesce((select revision from ${this.s}.ds_revisions where space_id = $1), 0) as revision) r
       left join lateral (select * from ${this.s}.ds_assertions where space_id = $1 and ${f.where} order by id) a on true`,
      [space, ...f.params],
      { idempotent: true },
    );
    const matches = filterMatcher(filter);
    return {
      revision: Number(rows[0]?.['at_revision'] ?? 0),
      assertions: rows.filter((r) => r['id'] !== null && matches(r['id'] as string)).map(assertion),
    };
  }

  /**
   * Deletes at most `limit` ended sessions whose lease ended at or before NOW − `endedSessionsMs`
   * (DSP-025), oldest first, in one statement (by the index `ds_sessions_ended`, skipping rows a
   * concurrent write holds). Their assertions went when they ended; a later operation on a pruned
   * id finds no session and fails with STATEPROOF_NOT_FOUND, and ids come from a sequence.
   */
  async prune(limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const space = await this.ctx.spaceId();
    const rows = await this.ctx.db.query<{ n: string }>(
      'pruning ended sessions',
      `with due as (
         select id from ${this.s}.ds_sessions where space_id = $1 and state <> 'open' and expires_at <= (select ${NOW} - $2::bigint)
         order by expires_at limit $3 for update skip locked
       ),
       gone as (delete from ${this.s}.ds_sessions where id = any(array(select id from due)) returning 1)
       select count(*) as n from gone`,
      [space, this.ctx.retention.endedSessionsMs, limit],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async reap(): Promise<{ expired: number; retracted: number }> {
    const space = await this.ctx.spaceId();
    const due = await this.ctx.db.query<{ id: string }>(
      'reaping sessions',
      `select id from ${this.s}.ds_sessions where space_id = $1 and state = 'open' and expires_at <= ${NOW} order by id`,
      [space],
      { idempotent: true },
    );
    const report = { expired: 0, retracted: 0 };
    if (due.length > 0) {
      await this.change<undefined>('reaping sessions', async (tx, sp, rev) => {
        for (const d of due) {
          // Judged again under the row lock: a heartbeat or close in between wins.
          const s = await this.session(tx, sp, String(d.id));
          if (!s?.expired) continue;
          report.expired++;
          report.retracted += await this.retractAll(tx, sp, s, 'expired', rev);
        }
        return { value: undefined };
      });
    }
    await this.ctx.db.query(
      'pruning the change feed',
      `delete from ${this.s}.ds_changes where space_id = $1 and revision <= (select revision from ${this.s}.ds_revisions where space_id = $1) - $2::bigint`,
      [space, this.ctx.changeRetention],
    );
    return report;
  }

  async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    return subscribeToChanges(this.ctx, filter, options, () => this.list(filter));
  }
}
