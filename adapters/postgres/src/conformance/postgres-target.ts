import type { Adapter } from '@stateproof/core';
import type { ConformanceTarget, ConnectionFaults, ServerControl } from '@stateproof/conformance';
import { withAdminClient } from '../db/pg-client.js';
import { openPostgresAdapter, PostgresAdapter } from '../postgres-adapter.js';
import { DEFAULT_PG_URL, redactUrl, type PostgresAdapterOptions } from '../postgres-options.js';
import { dropPostgresNamespace } from '../schema/drop-namespace.js';

/** Settings of {@link postgresTarget}. */
export interface PostgresTargetSettings {
  /** Server URL (default: $STATEPROOF_PG_URL, else postgres://postgres@127.0.0.1:5432/test). */
  readonly url?: string;
  /**
   * Give the adapters the suite's manual clock instead of the server's (tests of the adapter's SQL
   * only: the exact model-based properties then run too). A certificate is made with the server clock.
   */
  readonly injectClock?: boolean;
  /**
   * Control of the server at `url` when the harness owns it (a PostgresServer, postgres-server.ts):
   * the crash harness kills and restarts it (`stateproof crash --kill-backend`). Never the shared server.
   */
  readonly server?: ServerControl;
  /**
   * The adapter class to open (default PostgresAdapter): the kit's mutants pass a subclass with one
   * bug planted, and keep everything else of the real target.
   */
  readonly adapter?: {
    /** Opens an adapter with the options the target computed. */
    new (options: PostgresAdapterOptions): PostgresAdapter;
  };
}

/** This module as plain Node imports it: the built file, also when the caller runs the TypeScript source. */
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/conformance/postgres-target.js', import.meta.url).href
  : import.meta.url;

/**
 * The Postgres adapter as a conformance target: `create({ namespace })` opens an adapter on the URL
 * with the namespace as its schema (each instance with its own small pool, as a separate process
 * would have), `dispose` drops that schema, and `faults` cuts an adapter's connections with
 * pg_terminate_backend (and names them by pid and start time, so the suite can check they went). Nothing outside the namespaces the suite creates is touched. With `server`
 * (a server the harness started, see postgres-server.ts) the crash harness can also kill the backend.
 */
export function postgresTarget(settings: PostgresTargetSettings = {}): ConformanceTarget {
  const url = settings.url ?? process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;
  return {
    name: settings.injectClock ? 'postgres (injected clock)' : 'postgres',
    ...(settings.server ? { server: settings.server } : {}),
    create: ({ namespace, clock, injectClock, writeDelay }) =>
      openPostgresAdapter(
        {
          url,
          namespace,
          maxConnections: 4,
          ...(settings.injectClock || injectClock ? { clock } : {}),
          ...(writeDelay ? { testHooks: { beforeLeaseJudgement: writeDelay } } : {}),
        },
        settings.adapter,
      ),
    // Lease-judged writes lock their row, await the delay (a sleep on the server clock) and then judge.
    writeDelay: true,
    // The exact-time models run on an injected clock against the real statements; the rest on the server's.
    clockInjection: !settings.injectClock,
    dispose: (namespace) => dropPostgresNamespace({ url, namespace }),
    describeBackend: () =>
      withAdminClient(url, async (client) => {
        const { rows } = await client.query<Record<string, string>>(
          `select current_setting('server_version') as version, current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit,
                  current_setting('full_page_writes') as full_page_writes, current_setting('wal_level') as wal_level`,
        );
        const { version, ...rest } = rows[0] ?? {};
        return { name: 'postgres', ...(version ? { version } : {}), settings: { url: redactUrl(url), ...rest } };
      }),
    // A child process cannot be handed a class: a target over another adapter class has no spawn recipe.
    ...(settings.adapter
      ? {}
      : {
          spawn: {
            module: BUILT_MODULE,
            export: 'postgresTarget',
            args: { url, ...(settings.injectClock ? { injectClock: true } : {}) },
          },
        }),
    faults: postgresFaults(url),
  };
}

/** The Postgres adapter behind the guarded view the suite passes (a foreign adapter is a wiring bug, never a silent no-op). */
function postgresAdapterOf(adapter: Adapter): PostgresAdapter {
  if (!(adapter instanceof PostgresAdapter))
    throw new Error(`the postgres target's fault hook got a ${adapter.name} adapter, not one of its own`);
  return adapter;
}

/**
 * Connection faults on the server at `url`: `dropConnections` terminates the backends of the
 * adapter's pool and LISTEN connection; `connectionIdentity` lists those still open as
 * `pid@backend_start`, the start time telling a reused pid from the session it replaced.
 */
export function postgresFaults(url: string): ConnectionFaults {
  return {
    async dropConnections(adapter) {
      const pids = postgresAdapterOf(adapter).backendPids();
      if (pids.length === 0) return;
      await withAdminClient(url, (client) =>
        client.query('select pg_terminate_backend(pid) from unnest($1::integer[]) as pid', [pids]),
      );
    },
    async connectionIdentity(adapter) {
      const pids = postgresAdapterOf(adapter).backendPids();
      if (pids.length === 0) return [];
      return withAdminClient(url, async (client) => {
        const { rows } = await client.query<{ id: string }>(
          `select pid || '@' || to_char(backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as id
             from pg_stat_activity where pid = any($1::integer[]) order by pid`,
          [pids],
        );
        return rows.map((r) => r.id);
      });
    },
  };
}
