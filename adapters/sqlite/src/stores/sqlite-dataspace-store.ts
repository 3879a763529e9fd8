import type Database from 'better-sqlite3';
import {
  checkSession,
  closeSessionDecision,
  compileGlob,
  createEventBuffer,
  createPump,
  endedSessionCutoff,
  filterMatcher,
  foreignOwner,
  globLiteralPrefix,
  prefixUpperBound,
  sessionExpired,
  type Assertion,
  type DataspaceEvent,
  type DataspaceFilter,
  type DataspaceStore,
  type RetractReason,
  type SessionState,
  type Subscription,
  type DataspaceBinding,
} from '@stateproof/core/adapter-kit';
import { isStateproofError } from '@stateproof/spec';
import { ENDED_SESSION_STATES } from '../schema/namespace-schema-v3.js';
import type { StoreContext } from './store-context.js';

/** A dataspace session as the store reads it. */
export interface SessionRow {
  id: string;
  owner: string;
  expires_at: number;
  state: SessionState;
}

interface ChangeRow {
  revision: number;
  type: 'asserted' | 'retracted';
  id: string;
  value: string | null;
  session: string;
  owner: string;
  reason: RetractReason | null;
}

/** Changes kept for subscribers, per surface; one that falls further behind resynchronises from a snapshot. */
const CHANGES_KEPT = 10_000;
/** Changes a subscriber reads at once. */
const FETCH = 512;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Owned assertions in SQLite (spec/contract/dataspace.md). Sessions, leases and assertions are rows,
 * so another process sees them and can reap the sessions of a process that died. Every change gets the
 * next revision of the surface and is also appended to a change table, from which subscriptions in
 * any process stream what follows their snapshot: gap-free by revision, bounded by their buffer, with
 * a resync and a fresh snapshot when they lag or fall behind the kept changes.
 */
export class SqliteDataspaceStore implements DataspaceStore {
  private readonly space: string;
  private readonly q: Record<
    | 'session'
    | 'assertion'
    | 'change'
    | 'pruneChanges'
    | 'deleteAssertion'
    | 'endSession'
    | 'sessionIds'
    | 'openSession'
    | 'heartbeat'
    | 'upsert'
    | 'exact'
    | 'range'
    | 'rangeBounded'
    | 'dead'
    | 'pruneEnded'
    | 'changesAfter',
    Database.Statement
  >;

  constructor(
    private readonly ctx: StoreContext,
    private readonly binding: DataspaceBinding,
  ) {
    const { sessions, assertions, changes } = ctx.tables;
    const cols = `SELECT id, value, session, owner, revision FROM ${assertions} WHERE space = ?`;
    this.space = binding.space;
    this.q = {
      session: ctx.sql.get(`SELECT id, owner, expires_at, state FROM ${sessions} WHERE space = ? AND id = ?`),
      assertion: ctx.sql.get(`${cols} AND id = ?`),
      change: ctx.sql.get(
        `INSERT INTO ${changes} (space, revision, type, id, value, session, owner, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      pruneChanges: ctx.sql.get(`DELETE FROM ${changes} WHERE space = ? AND revision <= ?`),
      deleteAssertion: ctx.sql.get(`DELETE FROM ${assertions} WHERE space = ? AND id = ?`),
      endSession: ctx.sql.get(`UPDATE ${sessions} SET state = ? WHERE space = ? AND id = ?`),
      sessionIds: ctx.sql.get(`SELECT id FROM ${assertions} WHERE space = ? AND session = ? ORDER BY id`),
      openSession: ctx.sql.get(
        `INSERT INTO ${sessions} (space, id, owner, expires_at, state) VALUES (?, ?, ?, ?, 'open')`,
      ),
      heartbeat: ctx.sql.get(`UPDATE ${sessions} SET expires_at = ? WHERE space = ? AND id = ?`),
      upsert: ctx.sql.get(
        `INSERT INTO ${assertions} (space, id, value, session, owner, revision) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (space, id) DO UPDATE SET value = excluded.value, session = excluded.session, owner = excluded.owner, revision = excluded.revision`,
      ),
      exact: ctx.sql.get(`${cols} AND id = ?`),
      range: ctx.sql.get(`${cols} AND id >= ? ORDER BY id`),
      rangeBounded: ctx.sql.get(`${cols} AND id >= ? AND id < ? ORDER BY id`),
      dead: ctx.sql.get(
        `SELECT id, owner, expires_at, state FROM ${sessions} WHERE space = ? AND state = 'open' AND expires_at <= ? ORDER BY id`,
      ),
      // Walks the partial index `<ds_sessions>_ended` (schema version 3), whose condition it repeats verbatim.
      pruneEnded: ctx.sql.get(
        `DELETE FROM ${sessions} WHERE space = :space AND id IN (
           SELECT id FROM ${sessions} WHERE space = :space AND state IN ${ENDED_SESSION_STATES} AND expires_at <= :cutoff
           ORDER BY expires_at LIMIT :limit)`,
      ),
      changesAfter: ctx.sql.get(
        `SELECT revision, type, id, value, session, owner, reason FROM ${changes} WHERE space = ? AND revision > ? ORDER BY revision LIMIT ?`,
      ),
    };
  }

  /**
   * A write whose contract errors still commit what the operation did before detecting them: an
   * operation that finds an expired session reaps it (retracting its assertions) and then refuses
   * (SessionExpiredError), and the reaping must stand. Every check of an operation precedes its own
   * writes, so a refusal never leaves half of the operation itself.
   */
  private async write<T>(fn: () => T): Promise<T> {
    const r = await this.ctx.exec.write((): Outcome<T> => {
      try {
        return { ok: true, value: fn() };
      } catch (error) {
        if (isStateproofError(error)) return { ok: false, error };
        throw error;
      }
    });
    if (!r.ok) throw r.error;
    return r.value;
  }

  private session(id: string): SessionRow | undefined {
    return this.q.session.get(this.space, id) as SessionRow | undefined;
  }

  private expired(s: SessionRow, now: number): boolean {
    return sessionExpired({ state: s.state, expiresAt: s.expires_at }, now);
  }

  private assertion(id: string): Assertion | undefined {
    return this.q.assertion.get(this.space, id) as Assertion | undefined;
  }

  /** Records a change for subscribers and returns its revision. */
  private change(c: Omit<ChangeRow, 'revision'>): number {
    const revision = this.ctx.counters.bump(this.space, 'revision');
    this.q.change.run(this.space, revision, c.type, c.id, c.value, c.session, c.owner, c.reason);
    if (revision % 500 === 0) this.q.pruneChanges.run(this.space, revision - CHANGES_KEPT);
    this.ctx.exec.markChanged();
    return revision;
  }

  private remove(id: string, s: SessionRow, reason: RetractReason): number {
    this.q.deleteAssertion.run(this.space, id);
    return this.change({ type: 'retracted', id, value: null, session: s.id, owner: s.owner, reason });
  }

  /** Ends a session and retracts each of its assertions once, in id order. */
  private retractAll(s: SessionRow, reason: Exclude<RetractReason, 'retracted'>): number {
    this.q.endSession.run(reason, this.space, s.id);
    const ids = (this.q.sessionIds.all(this.space, s.id) as Array<{ id: string }>).map((r) => r.id);
    for (const id of ids) this.remove(id, s, reason);
    return ids.length;
  }

  /** The open session `id`; a closed or expired one is SessionExpiredError (an expired one is reaped first). */
  private live(id: string, now: number): SessionRow {
    const s = this.session(id);
    const check = checkSession(id, s, s !== undefined && this.expired(s, now));
    if (check.live) return s as SessionRow;
    if (check.reap) this.retractAll(s as SessionRow, 'expired');
    throw check.error;
  }

  /** Throws OwnershipError when a live session other than `self` owns `id`; a dead owner is reaped first. */
  private assertWritable(id: string, self: SessionRow, now: number): void {
    const a = this.assertion(id);
    if (!a || a.session === self.id) return;
    const owner = this.session(a.session);
    const verdict = foreignOwner(id, owner, owner !== undefined && this.expired(owner, now));
    if (verdict === 'reap') this.retractAll(owner as SessionRow, 'expired');
    else if (verdict) throw verdict;
  }

  async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    return this.write(() => {
      const id = this.ctx.counters.nextId('s');
      const expiresAt = this.ctx.clock.now() + leaseMs;
      this.q.openSession.run(this.space, id, owner, expiresAt);
      return { session: id, expiresAt };
    });
  }

  async heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }> {
    return this.write(() => {
      const now = this.ctx.clock.now();
      const s = this.live(session, now);
      this.q.heartbeat.run(now + leaseMs, this.space, s.id);
      return { expiresAt: now + leaseMs };
    });
  }

  async closeSession(session: string): Promise<{ retracted: number }> {
    return this.write(() => {
      const s = this.session(session);
      const d = closeSessionDecision(session, s, s !== undefined && this.expired(s, this.ctx.clock.now()));
      if ('error' in d) throw d.error;
      if (d.end === 'closed') return { retracted: this.retractAll(s as SessionRow, 'closed') };
      if (d.end === 'expired') this.retractAll(s as SessionRow, 'expired');
      return { retracted: 0 };
    });
  }

  async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    return this.write(() => {
      const now = this.ctx.clock.now();
      const s = this.live(session, now);
      this.assertWritable(id, s, now);
      const revision = this.change({ type: 'asserted', id, value, session: s.id, owner: s.owner, reason: null });
      this.q.upsert.run(this.space, id, value, s.id, s.owner, revision);
      return { revision };
    });
  }

  async retract(session: string, id: string): Promise<{ revision: number } | null> {
    return this.write(() => {
      const now = this.ctx.clock.now();
      const s = this.live(session, now);
      this.assertWritable(id, s, now);
      if (!this.assertion(id)) return null;
      return { revision: this.remove(id, s, 'retracted') };
    });
  }

  async get(id: string): Promise<Assertion | null> {
    return this.ctx.exec.read(() => this.assertion(id) ?? null);
  }

  /**
   * The literal prefix every match of a glob starts with, whose key range narrows the query (the glob
   * itself then decides): it must never exclude a match. Protected as the seam of the glob mutants.
   */
  protected globPrefix(pattern: string): string {
    return globLiteralPrefix(pattern);
  }

  /** Matching assertions in id order (UTF-8 bytes), narrowed by key range and then by the filter itself. */
  private matching(filter: DataspaceFilter): Assertion[] {
    if (filter.type === 'exact') return this.q.exact.all(this.space, filter.id) as Assertion[];
    const prefix =
      filter.type === 'prefix' ? filter.prefix : filter.type === 'glob' ? this.globPrefix(filter.pattern) : '';
    const upper = prefixUpperBound(prefix);
    const rows = (
      upper === undefined ? this.q.range.all(this.space, prefix) : this.q.rangeBounded.all(this.space, prefix, upper)
    ) as Assertion[];
    if (filter.type !== 'glob') return rows;
    const matches = compileGlob(filter.pattern);
    return rows.filter((a) => matches(a.id));
  }

  private snapshot(filter: DataspaceFilter): { revision: number; assertions: Assertion[] } {
    return { revision: this.ctx.counters.read(this.space, 'revision'), assertions: this.matching(filter) };
  }

  async list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    return this.ctx.exec.read(() => this.snapshot(filter));
  }

  /**
   * The open sessions whose lease ended by `now`, whoever opened them: the ones `reap` retracts.
   * Protected as the seam of the reaper mutants.
   */
  protected deadSessions(now: number): SessionRow[] {
    return this.q.dead.all(this.space, now) as SessionRow[];
  }

  /**
   * Deletes at most `limit` ended sessions whose lease ended at or before now − `endedSessionsMs`
   * (DSP-025). Their assertions went when they ended; a later operation on a pruned id finds no
   * session and fails with STATEPROOF_NOT_FOUND (checkSession); ids are never handed out again.
   */
  async prune(limit: number): Promise<number> {
    if (limit <= 0) return 0;
    return this.ctx.exec.write(() => {
      const cutoff = endedSessionCutoff(this.ctx.clock.now(), this.binding.retention.endedSessionsMs);
      return this.q.pruneEnded.run({ space: this.space, cutoff, limit }).changes;
    });
  }

  async reap(): Promise<{ expired: number; retracted: number }> {
    return this.write(() => {
      const now = this.ctx.clock.now();
      const dead = this.deadSessions(now);
      let retracted = 0;
      for (const s of dead) retracted += this.retractAll(s, 'expired');
      return { expired: dead.length, retracted };
    });
  }

  async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    const matches = filterMatcher(filter);
    let stopListening = () => {};
    let untrack = () => {};
    const { subscription, sink } = createEventBuffer<DataspaceEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => {
        stopListening();
        untrack();
      },
    });
    const first = await this.ctx.exec.read(() => this.snapshot(filter));
    sink.push({ type: 'snapshot', revision: first.revision, assertions: first.assertions });
    let last = first.revision;

    // Reads the changes after `last` and pushes the matching ones; a full buffer, or changes gone from
    // the table, become a resync followed by a fresh snapshot (taken in one read, so nothing falls between).
    const step = async (): Promise<boolean> => {
      const rows = await this.ctx.exec.read(() => this.q.changesAfter.all(this.space, last, FETCH) as ChangeRow[]);
      let lagged = rows.length > 0 && (rows[0] as ChangeRow).revision !== last + 1;
      for (const c of lagged ? [] : rows) {
        if (sink.closed) return false;
        last = c.revision;
        if (!matches(c.id)) continue;
        const event: DataspaceEvent =
          c.type === 'asserted'
            ? {
                type: 'asserted',
                revision: c.revision,
                assertion: {
                  id: c.id,
                  value: c.value as string,
                  session: c.session,
                  owner: c.owner,
                  revision: c.revision,
                },
              }
            : {
                type: 'retracted',
                revision: c.revision,
                id: c.id,
                session: c.session,
                owner: c.owner,
                reason: c.reason as RetractReason,
              };
        if (!sink.push(event)) {
          lagged = true;
          break;
        }
      }
      if (lagged && !sink.closed) {
        const fresh = await this.ctx.exec.read(() => this.snapshot(filter));
        sink.replace([
          { type: 'resync', reason: 'lagged' },
          { type: 'snapshot', revision: fresh.revision, assertions: fresh.assertions },
        ]);
        last = fresh.revision;
      }
      return rows.length === FETCH || lagged;
    };
    const pump = createPump(step, () => !sink.closed && this.ctx.lifecycle.isOpen);
    stopListening = this.ctx.feed.listen(pump);
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    pump();
    return subscription;
  }
}
