import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { RuntimeOptions } from '@stateproof/core';
import { openPostgresAdapter, dropPostgresNamespace } from '@stateproof/adapter-postgres';
import { namespacePrefix, sqliteAdapter } from '@stateproof/adapter-sqlite';
import { openRedisAdapter } from '@stateproof/adapter-redis';
import { redisServerUnavailable } from '@stateproof/adapter-redis/conformance';
import { PG_URL, serverFacts, serverUnavailable } from '../postgres/server-admin.js';
import { BENCH_CONFIGURATIONS, startBenchServer } from '../redis/bench-servers.js';

/** The backends the soak runs on, in order. */
export const SOAK_BACKENDS = ['postgres', 'sqlite', 'redis'] as const;
export type SoakBackendName = (typeof SOAK_BACKENDS)[number];

type Adapter = RuntimeOptions['adapter'];

/** What the backend holds, in bytes: the total the size target is about, and its parts. */
export interface StorageSize {
  readonly total: number;
  /** Per table (tables with their indexes), when asked for detail. */
  readonly parts?: Readonly<Record<string, number>>;
}

/** One backend, opened for a soak: fresh adapters on its storage, a way to measure it, and cleanup. */
export interface SoakBackend {
  readonly name: SoakBackendName;
  /** Version and durability settings, for the report. */
  readonly facts: string;
  /** What `size` measures. */
  readonly sizeMeaning: string;
  /** A new adapter on the backend's storage (the runtime that gets it owns and closes it). */
  adapter(): Promise<Adapter>;
  size(detail: boolean): Promise<StorageSize>;
  /** Starts what the backend needs beside the load, if anything (Postgres: a VACUUM stand-in when autovacuum is off); returns its stop. */
  housekeeping(): () => Promise<void>;
  /** Drops everything the soak wrote (schema, files, server). */
  close(): Promise<void>;
}

const none = () => async () => undefined;

/**
 * Every table of the soak's schema vacuumed and analysed every `STATEPROOF_SOAK_PG_VACUUM_MS` (default
 * 10 s; 0: never) when the server runs with autovacuum off, as autovacuum would in a production
 * deployment (deleted rows are reused only after a vacuum; the planner's statistics are refreshed by
 * its auto-analyze). VACUUM (ANALYZE) of the soak's own tables: no server setting is changed.
 */
export const PG_VACUUM_MS = Number(process.env['STATEPROOF_SOAK_PG_VACUUM_MS'] ?? 10_000);

/** Opens `name`, or says why it cannot run. */
export async function openSoakBackend(name: SoakBackendName): Promise<SoakBackend | string> {
  if (name === 'postgres') return openPostgres();
  if (name === 'sqlite') return openSqlite();
  return openRedis();
}

/** The tables the report breaks down (the rest is summed into the total only). */
const PARTS = ['tasks', 'tasks_done', 'task_keys', 'log_entries', 'records'];

async function openPostgres(): Promise<SoakBackend | string> {
  const unavailable = await serverUnavailable(PG_URL);
  if (unavailable) return unavailable;
  const schema = `spsoak_${process.pid}_${randomBytes(3).toString('hex')}`;
  const facts = await serverFacts(PG_URL);
  const admin = new pg.Client({ connectionString: PG_URL, application_name: 'stateproof-bench-soak-size' });
  await admin.connect();
  const autovacuum = (await admin.query<{ a: string }>(`select current_setting('autovacuum') as a`)).rows[0]?.a;
  const standIn = autovacuum === 'off' && PG_VACUUM_MS > 0;
  const vacuumer = new pg.Client({ connectionString: PG_URL, application_name: 'stateproof-bench-soak-vacuum' });
  if (standIn) await vacuumer.connect();
  return {
    name: 'postgres',
    facts: `${facts}, autovacuum ${autovacuum}${standIn ? ` (so the soak runs VACUUM (ANALYZE) on its own tables every ${PG_VACUUM_MS / 1000} s instead; STATEPROOF_SOAK_PG_VACUUM_MS=0 turns that off)` : ''}; schema ${schema}`,
    sizeMeaning: "pg_total_relation_size (heap, indexes, TOAST) of every table of the adapter's schema",
    adapter: () => openPostgresAdapter({ url: PG_URL, namespace: schema, maxConnections: 10 }),
    async size(detail) {
      const { rows } = await admin.query<{ relname: string; bytes: string }>(
        `select c.relname, pg_total_relation_size(c.oid)::bigint as bytes from pg_class c
           join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
        [schema],
      );
      let total = 0;
      const parts: Record<string, number> = {};
      for (const r of rows) {
        total += Number(r.bytes);
        if (PARTS.includes(r.relname)) parts[r.relname] = Number(r.bytes);
      }
      return detail ? { total, parts } : { total };
    },
    housekeeping() {
      if (!standIn) return async () => undefined;
      let stopped = false;
      let wake = () => undefined as void;
      const loop = (async () => {
        while (!stopped) {
          await new Promise<void>((r) => {
            const timer = setTimeout(r, PG_VACUUM_MS);
            wake = () => (clearTimeout(timer), r());
          });
          if (stopped) break;
          const { rows } = await vacuumer.query<{ t: string }>(
            `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
            [schema],
          );
          for (const r of rows) await vacuumer.query(`vacuum (analyze) "${schema}"."${r.t}"`);
        }
      })();
      return async () => {
        stopped = true;
        wake();
        await loop;
      };
    },
    async close() {
      await admin.end();
      if (standIn) await vacuumer.end();
      await dropPostgresNamespace({ url: PG_URL, namespace: schema });
    },
  };
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return db.prepare('select sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
}

function openSqlite(): SoakBackend {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-soak-sqlite-'));
  const path = join(dir, 'soak.db');
  const prefix = namespacePrefix('soak');
  let reader: Database.Database | undefined;
  const open = (): Database.Database => {
    reader ??= new Database(path, { readonly: true, fileMustExist: true });
    return reader;
  };
  const walBytes = (): number => {
    try {
      return statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  };
  return {
    name: 'sqlite',
    facts: `SQLite ${sqliteVersion()} (better-sqlite3), journal_mode wal, synchronous full (the adapter's defaults); a file in ${dir}`,
    sizeMeaning: 'page_count × page_size of the database file plus the size of its WAL file',
    housekeeping: none,
    adapter: async () => sqliteAdapter({ path, namespace: 'soak', synchronous: 'full', journalMode: 'wal' }),
    async size(detail) {
      const db = open();
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      const total = pages * pageSize + walBytes();
      if (!detail) return { total };
      const rows = db
        .prepare(
          `select m.tbl_name as t, sum(d.pgsize) as b from dbstat d join sqlite_master m on m.name = d.name group by m.tbl_name`,
        )
        .all() as { t: string; b: number }[];
      const parts: Record<string, number> = {};
      for (const r of rows) {
        const table = r.t.startsWith(prefix) ? r.t.slice(prefix.length) : r.t;
        if (PARTS.includes(table)) parts[table] = r.b;
      }
      parts['free pages'] = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
      return { total, parts };
    },
    async close() {
      reader?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openRedis(): Promise<SoakBackend | string> {
  const missing = redisServerUnavailable();
  if (missing) return missing;
  const bench = await startBenchServer(BENCH_CONFIGURATIONS[0]!);
  const { Redis } = await import('ioredis');
  const admin = new Redis(bench.url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  const field = (info: string, name: string): number => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? NaN);
  return {
    name: 'redis',
    facts: `${bench.facts} (a server of the benchmark's own)`,
    sizeMeaning: "the server's used_memory (INFO memory); the breakdown gives its dataset part and the key count",
    housekeeping: none,
    adapter: () => openRedisAdapter({ url: bench.url, namespace: 'soak' }),
    async size(detail) {
      const info = await admin.info('memory');
      const total = field(info, 'used_memory');
      if (!detail) return { total };
      return { total, parts: { dataset: field(info, 'used_memory_dataset'), keys: await admin.dbsize() } };
    },
    async close() {
      admin.disconnect();
      await bench.server.stop();
    },
  };
}
