import pg from 'pg';
import type { Order } from './surfaces.js';

/** How every queue system is run: same pool size, same number of workers, same batch size. */
export interface QueueSettings {
  readonly url: string;
  /** Connections in each system's pool. */
  readonly connections: number;
  /** Concurrent workers (graphile-worker: concurrency). */
  readonly workers: number;
  /** Tasks a worker claims per round trip (graphile-worker: the local queue holds workers × batch). */
  readonly batch: number;
}

/** When a system's workers started looking for work and when the last completion was durable (performance.now()). */
export interface Processed {
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One queue system under test. */
export interface QueueSystem {
  readonly name: string;
  /** What the documentation section lists as this system's settings. */
  readonly settings: string;
  /** Installs the schema and connects (untimed). */
  setup(): Promise<void>;
  /** Enqueues one batch (one call of the system's bulk API). */
  enqueue(payloads: readonly Order[]): Promise<void>;
  /** Runs the workers until `n` tasks were claimed and completed. */
  process(n: number): Promise<Processed>;
  /** Removes finished tasks and vacuums, so that every round starts from the same table sizes (untimed). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** What every worker of every queue benchmark does with a task: look at its payload (the work itself is nothing). */
export function handle(payload: Order): void {
  if (typeof payload.id !== 'string') throw new Error('bench: a task without its payload');
}

/** VACUUM ANALYZE of every table of a schema, on a connection of its own. */
export async function vacuumSchema(url: string, schema: string, before?: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, application_name: 'stateproof-bench-admin' });
  await c.connect();
  try {
    if (before) await c.query(before);
    const { rows } = await c.query<{ t: string }>(
      `select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = $1`,
      [schema],
    );
    for (const r of rows) await c.query(`vacuum analyze ${r.t}`);
  } finally {
    await c.end();
  }
}
