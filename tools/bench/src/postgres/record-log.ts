import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openRuntime, type Runtime } from '@stateproof/core';
import { openPostgresAdapter, shortDigest } from '@stateproof/adapter-postgres';
import type { BenchRow } from '../benchmark.js';
import { normalizeSql } from './measure.js';
import { compareSideBySide, type SideBySideWorkload } from '../compare/side-by-side.js';
import { BENCH_SURFACES, benchEvents, benchOrders, benchRegistry, order, type Order } from './surfaces.js';

/** Settings of the record and log comparison. */
export interface RecordLogSettings {
  readonly url: string;
  /** The schema of the stateproof adapter (created here, dropped by the caller). */
  readonly schema: string;
  /** Connections of each side's pool, and concurrent callers. */
  readonly connections: number;
  /** Operations per side per round, for each of put, get and append. */
  readonly operations: number;
  /** Timed rounds (each side once per round, in rotating order). */
  readonly rounds: number;
  /** Untimed operations per side before the first round. */
  readonly warmup: number;
  readonly progress: (line: string) => void;
}

/** Distinct keys the puts cycle through (the gets read the same ones). */
const KEYS = 1000;
/** Log streams the appends spread over. */
const STREAMS = 8;

const key = (i: number) => `order-${i % KEYS}`;
const stream = (i: number) => `stream-${i % STREAMS}`;

/** One operation under test, as each side does it. */
type Workload = SideBySideWorkload;

/** What the adapter's stores send, copied from adapters/postgres/src (server-time.ts, pg-record-store.ts, pg-log-store.ts). */
function adapterSql(schema: string): { get: string; put: string; append: string } {
  const s = `"${schema}"`;
  const NOW = `coalesce(nullif(current_setting('stateproof.now_ms', true), '')::bigint, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)`;
  const LIVE = `(expires_at is null or expires_at > ${NOW})`;
  const nextVersion = `nextval(E'${s}.record_versions'::regclass)`;
  const expires = `case when $4::bigint is null then null else ${NOW} + $4::bigint end`;
  return {
    get: `select value, version, expires_at from ${s}.records where space_id = $1 and key = $2 and ${LIVE}`,
    put: `with lock as (select pg_advisory_xact_lock(hashtextextended(E'${s}:' || ($1::integer)::text || ':' || $2::text, 0)))
         insert into ${s}.records as r (space_id, key, value, version, expires_at) select $1::integer, $2::text, $3::text, ${nextVersion}, ${expires} from lock
         on conflict (space_id, key) do update set value = excluded.value, version = ${nextVersion}, expires_at = excluded.expires_at
         returning version, expires_at`,
    append: `with s as (
         insert into ${s}.log_streams as ls (space_id, stream, last) values ($1, $2, $4)
         on conflict (space_id, stream) do update set last = ls.last + $4 returning last
       ), e as (
         insert into ${s}.log_entries (space_id, stream, seq, value, at)
         select $1, $2, s.last - $4 + v.ord, v.value, ${NOW} from s, unnest($3::text[]) with ordinality as v(value, ord)
         returning seq
       ), trimmed as (
         delete from ${s}.log_entries where space_id = $1 and stream = $2
           and (seq <= (select last from s) - $5::bigint or at <= ${NOW} - $6::bigint)
       )
       select array_agg(seq order by seq) as seqs, case when $7::text is null then null else pg_notify($7, $8) end as notified from e`,
  };
}

interface Captured {
  readonly text: string;
  readonly values: readonly unknown[];
}

/** Runs `fn` while recording every statement any pg client sends (the adapter's pool uses pg's Client too). */
async function capture(fn: () => Promise<void>): Promise<Captured[]> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const seen: Captured[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string')
      seen.push({ text: args[0], values: Array.isArray(args[1]) ? (args[1] as unknown[]) : [] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

/** The captured statement that is `expected` up to whitespace; fails loudly when the adapter's SQL changed. */
function find(seen: readonly Captured[], expected: string, what: string): Captured {
  const hit = seen.find((c) => normalizeSql(c.text) === normalizeSql(expected));
  if (!hit) {
    throw new Error(
      `postgres bench: the adapter no longer sends the ${what} statement the raw side replays; update tools/bench/src/postgres/record-log.ts.\n` +
        `sent:\n${seen.map((c) => normalizeSql(c.text)).join('\n')}\nexpected:\n${normalizeSql(expected)}`,
    );
  }
  return hit;
}

/**
 * Record put, record get and log append through the public runtime (openRuntime, typed handles)
 * against the same statements run with a bare pg Pool of the same size and the same number of
 * concurrent callers. The raw side sends the adapter's own SQL text (checked against what the
 * adapter sends at startup), the same space id, keys and value bytes (envelope line included); it
 * does what an application using pg directly would do besides the statement: JSON.stringify on
 * write, JSON.parse on read.
 */
export async function recordLogComparison(
  o: RecordLogSettings,
): Promise<{ rows: BenchRow[]; ratios: Record<string, number>; warnings: string[] }> {
  const warnings: string[] = [];
  const adapter = await openPostgresAdapter({ url: o.url, namespace: o.schema, maxConnections: o.connections });
  let rt: Runtime | undefined;
  const pool = new pg.Pool({ connectionString: o.url, max: o.connections, application_name: 'stateproof-bench-raw' });
  try {
    rt = await openRuntime({
      adapter,
      app: 'bench',
      deployment: 'bench',
      surfaces: BENCH_SURFACES,
      registry: benchRegistry,
      mode: 'warn',
      logger: { warn: (m: string) => warnings.push(m) },
    });
    const records = rt.use(benchOrders);
    const events = rt.use(benchEvents);
    const sql = adapterSql(o.schema);

    // What the adapter sends for one put, get and append: its SQL must be ours; its parameters give the
    // space ids, the channel and the envelope line the raw side writes in front of each value.
    const seen = await capture(async () => {
      await records.put(key(0), order(0));
      await records.get(key(0));
      await events.append(stream(0), order(0));
    });
    const put = find(seen, sql.put, 'record put');
    const get = find(seen, sql.get, 'record get');
    const append = find(seen, sql.append, 'log append');
    const recordSpace = put.values[0] as number;
    const logSpace = append.values[0] as number;
    const channel = append.values[6] as string | null;
    const stored = put.values[2] as string;
    const header = stored.slice(0, stored.indexOf('\n'));
    const encode = (value: Order) => `${header}\n${JSON.stringify(value)}`;
    if (encode(order(0)) !== stored)
      throw new Error(
        'postgres bench: the adapter stores values other than `<envelope>\\n<JSON>`; update the raw side',
      );

    const workloads: Workload[] = [
      {
        name: 'record put',
        stateproof: (i) => records.put(key(i), order(i)),
        raw: (i) => pool.query(put.text, [recordSpace, key(i), encode(order(i)), null]),
      },
      {
        name: 'record get',
        stateproof: async (i) => {
          if ((await records.get(key(i))) === null) throw new Error(`postgres bench: ${key(i)} missing`);
        },
        raw: async (i) => {
          const { rows } = await pool.query<{ value: string }>(get.text, [recordSpace, key(i)]);
          const value = rows[0]?.value;
          if (value === undefined) throw new Error(`postgres bench: ${key(i)} missing`);
          return JSON.parse(value.slice(value.indexOf('\n') + 1)) as Order;
        },
      },
      {
        name: 'log append',
        stateproof: (i) => events.append(stream(i), order(i)),
        raw: async (i) => {
          const s = stream(i);
          const { rows } = await pool.query<{ seqs: string[] }>(append.text, [
            logSpace,
            s,
            [encode(order(i))],
            1,
            null,
            null,
            channel,
            shortDigest(s, 12),
          ]);
          return Number(rows[0]?.seqs[0]);
        },
      },
    ];

    // The warm-up also fills the catalog caches of both pools' backends.
    const { rows, ratios } = await compareSideBySide(workloads, {
      operations: o.operations,
      rounds: o.rounds,
      callers: o.connections,
      warmup: o.warmup,
      keys: KEYS,
      connections: `${o.connections} callers on ${o.connections} connections`,
      label: (side, name) => `${side === 'stateproof' ? 'stateproof' : 'raw pg'} ${name}`,
      ratioKey: (name) => `stateproof/raw pg ${name}`,
      rawName: 'raw pg',
      progress: o.progress,
    });
    return { rows, ratios, warnings };
  } finally {
    await rt?.close().catch(() => undefined);
    await adapter.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}

/**
 * `node tools/bench/dist/postgres/record-log.js [--scale N]`: this comparison alone, with the settings of
 * `npm run bench -- postgres` (which also runs the queue peers), on STATEPROOF_PG_URL or the local
 * server; its schema is dropped afterwards.
 */
async function runAlone(): Promise<void> {
  const { dropPostgresNamespace } = await import('@stateproof/adapter-postgres');
  const url = process.env['STATEPROOF_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const at = process.argv.indexOf('--scale');
  const scale = at >= 0 ? Number(process.argv[at + 1]) : 1;
  const schema = `spbench_${process.pid}_records`;
  try {
    const r = await recordLogComparison({
      url,
      schema,
      connections: 4,
      operations: Math.max(100, Math.round(1000 * scale)),
      rounds: 15,
      warmup: 300,
      progress: (line) => console.error(`  ${line}`),
    });
    for (const row of r.rows)
      console.log(`  ${row.label.padEnd(28)} ${row.opsPerSec.toFixed(0).padStart(8)} ops/s  ${row.notes ?? ''}`);
    for (const [k, v] of Object.entries(r.ratios)) console.log(`  ratio ${k}: ${v.toFixed(3)}`);
    if (r.warnings.length > 0) console.log(`  runtime warnings: ${r.warnings.join('; ')}`);
  } finally {
    await dropPostgresNamespace({ url, namespace: schema });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone();
