import type { AdapterLifecycle, Clock } from '@stateproof/core';
import type { ChangeFeed } from '../database/change-feed.js';
import type { SqliteExecutor } from '../database/executor.js';
import type { StatementCache } from '../database/statement-cache.js';
import type { NamespaceTables } from '../schema/namespace-tables.js';

/** What every store of one adapter instance shares: its connection, tables, clock and lifecycle. */
export interface StoreContext {
  readonly exec: SqliteExecutor;
  readonly sql: StatementCache;
  readonly tables: NamespaceTables;
  readonly clock: Clock;
  readonly lifecycle: AdapterLifecycle;
  readonly feed: ChangeFeed;
  readonly random: () => number;
}

/** Adds `by` to a counter of the namespace and returns its new value; counters start at 0 and never go back. */
export function bumpCounter(ctx: StoreContext, space: string, name: string, by = 1): number {
  const row = ctx.sql
    .get(`INSERT INTO ${ctx.tables.counters} (space, name, value) VALUES (?, ?, ?) ON CONFLICT (space, name) DO UPDATE SET value = value + excluded.value RETURNING value`)
    .get(space, name, by) as { value: number };
  return row.value;
}

/** The current value of a counter (0 when never bumped). */
export function readCounter(ctx: StoreContext, space: string, name: string): number {
  const row = ctx.sql.get(`SELECT value FROM ${ctx.tables.counters} WHERE space = ? AND name = ?`).get(space, name) as { value: number } | undefined;
  return row?.value ?? 0;
}

/** A new id, unique within the namespace across every surface and process (`t1`, `s2`, …). */
export function nextId(ctx: StoreContext, prefix: string): string {
  return `${prefix}${bumpCounter(ctx, '', 'ids').toString(36)}`;
}
