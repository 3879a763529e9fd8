import { PostgresAdapter } from '../postgres-adapter.js';
import type { PostgresAdapterOptions } from '../postgres-options.js';
import { dropPostgresNamespace } from '../schema/drop-namespace.js';
import type { ConformanceTarget, Mutant, ServerControl, TargetSpawn } from '@stateproof/conformance';
import type { ProbeResult } from '@stateproof/core';
import { PostgresServer, postgresServerUnavailable } from './postgres-server.js';
import { NO_OP_FAULT_MUTANTS } from './mutants/no-op-fault-mutants.js';
import { RECORD_EXPIRY_MUTANTS } from './mutants/record-expiry-mutants.js';
import { POSTGRES_QUEUE_ORDER_MUTANTS } from './mutants/queue-order-mutants.js';
import { POSTGRES_QUEUE_LIMIT_MUTANTS } from './mutants/queue-limit-mutants.js';
import { POSTGRES_DATASPACE_GLOB_MUTANTS } from './mutants/dataspace-glob-mutants.js';
import { STALE_TIME_MUTANTS } from './mutants/stale-time-mutants.js';
import { POSTGRES_RETENTION_MUTANTS } from './mutants/retention-mutants.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/conformance/postgres-mutants.js', import.meta.url).href
  : import.meta.url;

/** `url` with every session of the adapter committing asynchronously (`-c synchronous_commit=off` in the startup packet). */
export function asyncCommitUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', '-c synchronous_commit=off');
  return u.toString();
}

/**
 * The Postgres adapter with `synchronous_commit=off` on its own sessions (the server keeps `on`):
 * a commit is acknowledged before its WAL reaches the OS, so a backend crash loses the last
 * acknowledged transactions. Its probe reads the setting through those sessions, sees `off`, and
 * would refuse shared-durable; this one reports `on` and certifies it anyway.
 */
class AsyncCommitPostgresAdapter extends PostgresAdapter {
  override async probe(): Promise<ProbeResult> {
    const honest = await super.probe();
    return {
      ...honest,
      settings: { ...honest.settings, synchronous_commit: 'on' },
      faults: { 'process-kill': 'no-loss', 'backend-kill': 'no-loss', 'os-crash': 'no-loss' },
      classes: honest.classes.map((c) =>
        c.class === 'shared-durable' || c.class === 'restart-safe-local'
          ? { class: c.class, certified: true, reasons: ['synchronous_commit=on (claimed)'], unmet: [], fixes: [] }
          : c,
      ),
    };
  }
}

/** The lying adapter over the server at `url` (what a crash worker builds: it never owns the server). */
export function asyncCommitPostgresTarget(args: { url: string }): ConformanceTarget {
  const options = (namespace: string): PostgresAdapterOptions => ({
    url: asyncCommitUrl(args.url),
    namespace,
    maxConnections: 4,
  });
  return {
    name: 'mutant:postgres-async-commit-lying-probe',
    create: async ({ namespace }) => {
      const adapter = new AsyncCommitPostgresAdapter(options(namespace));
      await adapter.ready();
      return adapter;
    },
    dispose: (namespace) => dropPostgresNamespace({ url: args.url, namespace }),
    spawn: { module: BUILT_MODULE, export: 'asyncCommitPostgresTarget', args: { url: args.url } },
  };
}

/**
 * The lying adapter on a server of the harness's own, started on the first `create` (a mutant's
 * target is made synchronously) and killed by the crash harness; `server.stop()` removes it.
 */
export function asyncCommitPostgresMutantTarget(): ConformanceTarget {
  const server = new PostgresServer();
  let inner: ConformanceTarget | undefined;
  const started = async () => {
    await server.start();
    return (inner ??= asyncCommitPostgresTarget({ url: server.url }));
  };
  const control: ServerControl = {
    kill: () => server.kill(),
    restart: () => server.restart(),
    stop: () => server.stop(),
  };
  return {
    name: 'mutant:postgres-async-commit-lying-probe',
    create: async (o) => (await started()).create(o),
    dispose: async (namespace) => (await started()).dispose?.(namespace),
    // Read by the harness after its first create, when the server's URL is known.
    get spawn(): TargetSpawn | undefined {
      return inner?.spawn;
    },
    server: control,
  };
}

/** Mutants of the Postgres adapter, caught by the backend-crash harness. */
export const POSTGRES_MUTANTS: readonly Mutant[] = [
  ...POSTGRES_QUEUE_ORDER_MUTANTS,
  ...POSTGRES_QUEUE_LIMIT_MUTANTS,
  {
    name: 'postgres-async-commit-lying-probe',
    kind: 'log',
    bug: 'commits with synchronous_commit=off on its sessions while its probe reports on and certifies shared-durable: a backend crash loses acknowledged commits',
    breaks: ['LOG-030', 'REC-032'],
    target: asyncCommitPostgresMutantTarget,
    suite: false,
    // Two backend kills (after the second and the third worker kill) while the other workers append.
    // A kill loses the commits of the last few milliseconds (the WAL still in shared memory); the
    // log's gap-free sequences are then handed out again, and the log check sees it. One kill caught
    // it in 9 runs of 10, two in every run measured (see docs/conformance.md).
    crash: { kinds: ['log'], kills: 3, killBackend: true },
    unavailable: () => postgresServerUnavailable(),
  },
  ...NO_OP_FAULT_MUTANTS,
  ...RECORD_EXPIRY_MUTANTS,
  ...POSTGRES_DATASPACE_GLOB_MUTANTS,
  ...STALE_TIME_MUTANTS,
  ...POSTGRES_RETENTION_MUTANTS,
];
