import {
  filterMatcher,
  globLiteralPrefix,
  NotFoundError,
  OwnershipError,
  prefixUpperBound,
  SessionExpiredError,
  type Assertion,
  type DataspaceBinding,
  type DataspaceEvent,
  type DataspaceFilter,
  type DataspaceStore,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import {
  DATASPACE_ASSERT,
  DATASPACE_CHANGES,
  DATASPACE_CLOSE,
  DATASPACE_HEARTBEAT,
  DATASPACE_LIST,
  DATASPACE_OPEN,
  DATASPACE_PRUNE,
  DATASPACE_REAP,
  DATASPACE_RETRACT,
} from '../scripts/dataspace-scripts.js';
import type { LuaScript } from '../client/lua-script.js';
import { subscribeToChanges, type DataspaceChange } from './redis-dataspace-subscription.js';
import type { RedisStoreContext } from './redis-store-context.js';

type Reply = Array<string | number | null>;

/** Sessions one reap script handles; `reap` runs it again until it reports none left. */
const REAP_BATCH = 64;

/**
 * Owned assertions in Redis (spec/contract/dataspace.md; structures and scripts in
 * dataspace-scripts.ts). Every operation is one script, so a change, its revision, its entry in the
 * change log and the retraction of a dead owner it ran into are applied together or not at all.
 * Liveness is judged in the scripts by the server clock, mirroring core's rules (sessionExpired,
 * checkSession, foreignOwner, closeSessionDecision); the refusals come back as replies and become
 * core's typed errors here. Subscriptions read a snapshot and then the change log after its revision
 * (redis-dataspace-subscription.ts).
 */
export class RedisDataspaceStore implements DataspaceStore {
  /** The scripts of each operation: a seam for the conformance kit's mutants, which swap one for a broken one. */
  protected scripts = {
    open: DATASPACE_OPEN,
    heartbeat: DATASPACE_HEARTBEAT,
    close: DATASPACE_CLOSE,
    assert: DATASPACE_ASSERT,
    retract: DATASPACE_RETRACT,
    reap: DATASPACE_REAP,
    prune: DATASPACE_PRUNE,
    list: DATASPACE_LIST,
    changes: DATASPACE_CHANGES,
  };
  private readonly keys: readonly string[];
  private readonly common: readonly (string | number)[];
  private readonly rev: string;
  private readonly log: string;
  private readonly ids: string;
  private readonly assertionPrefix: string;

  constructor(
    protected readonly ctx: RedisStoreContext,
    /** Changes the log keeps behind the newest; a subscriber further behind resynchronises. */
    changeRetention: number,
    /** What is kept of ended sessions (the binding's, default filled in by core). */
    protected readonly retention: DataspaceBinding['retention'],
  ) {
    const k = ctx.keys;
    this.rev = k.fixed('ds:rev');
    this.log = k.fixed('ds:log');
    this.ids = k.fixed('ds:ids');
    this.assertionPrefix = k.prefix('ds:a');
    this.keys = [
      this.rev,
      this.log,
      this.ids,
      k.fixed('ds:exp'),
      ctx.ns.fixed('ns:dataspace-sessions'),
      k.fixed('ds:ended'),
    ];
    this.common = [this.assertionPrefix, k.prefix('ds:s'), k.prefix('ds:own'), changeRetention, k.fixed('wake')];
  }

  private write(script: LuaScript, what: string, args: readonly (string | number)[]): Promise<Reply> {
    return this.ctx.runner.write(script, what, this.keys, [...this.common, ...args]) as Promise<Reply>;
  }

  /** The typed error of a refused write (see the scripts' replies), or the reply when it went through. */
  private refused(r: Reply, session: string, id?: string): Reply {
    switch (r[0]) {
      case 'not-found':
        throw new NotFoundError(`session ${session}`);
      case 'expired':
        throw new SessionExpiredError(session, r[1] === 'closed' ? 'closed' : 'expired');
      case 'ownership':
        throw new OwnershipError(id ?? '', String(r[1]), String(r[2]));
      default:
        return r;
    }
  }

  async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    const r = await this.write(this.scripts.open, 'opening a session', [owner, leaseMs]);
    return { session: String(r[1]), expiresAt: Number(r[2]) };
  }

  async heartbeat(session: string, leaseMs: number): Promise<{ expiresAt: number }> {
    const r = this.refused(
      await this.write(this.scripts.heartbeat, 'heartbeat of a session', [session, leaseMs]),
      session,
    );
    return { expiresAt: Number(r[1]) };
  }

  async closeSession(session: string): Promise<{ retracted: number }> {
    const r = this.refused(await this.write(this.scripts.close, 'closing a session', [session]), session);
    return { retracted: Number(r[1]) };
  }

  async assert(session: string, id: string, value: string): Promise<{ revision: number }> {
    const r = this.refused(await this.write(this.scripts.assert, 'asserting', [session, id, value]), session, id);
    return { revision: Number(r[1]) };
  }

  async retract(session: string, id: string): Promise<{ revision: number } | null> {
    const r = this.refused(await this.write(this.scripts.retract, 'retracting', [session, id]), session, id);
    return r[0] === 'none' ? null : { revision: Number(r[1]) };
  }

  async get(id: string): Promise<Assertion | null> {
    return (await this.read({ type: 'exact', id })).assertions[0] ?? null;
  }

  async list(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    const { revision, assertions } = await this.read(filter);
    const matches = filterMatcher(filter);
    return { revision, assertions: assertions.filter((a) => matches(a.id)) };
  }

  /**
   * The literal prefix every match of a glob starts with, whose index range narrows the read (core's
   * matcher then decides): it must never exclude a match. Protected as the seam of glob mutants.
   */
  protected globPrefix(pattern: string): string {
    return globLiteralPrefix(pattern);
  }

  /** The assertions in the filter's index range, in byte order, with the revision read with them (one script). */
  private async read(filter: DataspaceFilter): Promise<{ revision: number; assertions: Assertion[] }> {
    let bounds: [string, string, string];
    if (filter.type === 'exact') bounds = ['exact', filter.id, ''];
    else {
      const prefix =
        filter.type === 'prefix' ? filter.prefix : filter.type === 'glob' ? this.globPrefix(filter.pattern) : '';
      const upper = prefixUpperBound(prefix);
      bounds = ['range', prefix === '' ? '-' : `[${prefix}`, upper === undefined ? '+' : `(${upper}`];
    }
    const r = (await this.ctx.runner.read(
      this.scripts.list,
      'reading assertions',
      [this.rev, this.ids],
      [this.assertionPrefix, ...bounds],
    )) as [number, ...Array<[string, string, string, string, number]>];
    const [revision, ...rows] = r;
    return {
      revision: Number(revision),
      assertions: rows.map(([id, value, session, owner, rev]) => ({
        id,
        value,
        session,
        owner,
        revision: Number(rev),
      })),
    };
  }

  /**
   * One script (DATASPACE_PRUNE): the ended sessions whose lease end plus `endedSessionsMs` passed by
   * the server clock, at most `limit`, oldest first (DSP-025). A pruned session answers NOT_FOUND.
   */
  async prune(limit: number): Promise<number> {
    const r = await this.write(this.scripts.prune, 'pruning ended sessions', [limit, this.retention.endedSessionsMs]);
    return Number(r[1]);
  }

  async reap(): Promise<{ expired: number; retracted: number }> {
    const report = { expired: 0, retracted: 0 };
    for (;;) {
      const r = await this.write(this.scripts.reap, 'reaping sessions', [REAP_BATCH]);
      report.expired += Number(r[1]);
      report.retracted += Number(r[2]);
      if (Number(r[3]) !== 1) return report;
    }
  }

  /** The log's changes after `revision`, at most `count`, in revision order. */
  private async changesAfter(revision: number, count: number): Promise<DataspaceChange[]> {
    const entries = (await this.ctx.runner.read(
      this.scripts.changes,
      'reading the change log',
      [this.log],
      [revision, count],
    )) as Array<[string, string[]]>;
    return entries.map(([entryId, flat]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i] as string] = flat[i + 1] as string;
      return {
        revision: Number(entryId.slice(entryId.indexOf('-') + 1)),
        type: f['t'] === 'a' ? 'asserted' : 'retracted',
        id: f['i'] as string,
        value: f['v'] ?? null,
        session: f['s'] as string,
        owner: f['o'] as string,
        reason: (f['r'] ?? null) as DataspaceChange['reason'],
      };
    });
  }

  async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    return subscribeToChanges(this.ctx, filter, options, {
      snapshot: () => this.list(filter),
      changesAfter: (revision, count) => this.changesAfter(revision, count),
    });
  }
}
