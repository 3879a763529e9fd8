import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_RETRY, type BindingByKind } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import type { Benchmark, BenchRow } from './benchmark.js';

/** A binding as core builds it, for the adapter's stores (the benchmark measures the adapter, not core's codec). */
function binding<K extends 'record' | 'log' | 'queue'>(kind: K): BindingByKind[K] {
  const space = `sp1:bench:a:bench:bench.${kind}:`;
  const base = { surfaceId: `bench.${kind}`, kind, class: 'restart-safe-local' as const, space };
  const queue = kind === 'queue' ? { leaseMs: 60_000, retry: DEFAULT_RETRY, concurrency: {}, attemptHistory: 20 } : {};
  return { ...base, ...queue } as unknown as BindingByKind[K];
}

/** An encoded value of a typical size: envelope line plus a small JSON document (about 250 bytes). */
const VALUE = `${JSON.stringify({ codec: 'json-v1', kind: 'record', surface: 'bench.record', app: 'bench', deployment: 'd1', fingerprint: `sha256:${'ab'.repeat(32)}`, schemaVersion: 1 })}\n${JSON.stringify({ id: 'order-1', total: 42.5, items: ['a', 'b'] })}`;

/**
 * Runs `fn` while recording the SQL every better-sqlite3 connection prepares and the pragmas it sets
 * (`name = value`), so the raw side can run exactly what the adapter runs.
 */
async function captureSql<T>(fn: () => Promise<T>): Promise<{ result: T; prepared: string[]; pragmas: string[] }> {
  const proto = Database.prototype as unknown as {
    prepare: (this: unknown, sql: string) => unknown;
    pragma: (this: unknown, source: string, options?: unknown) => unknown;
  };
  const { prepare, pragma } = proto;
  const prepared: string[] = [];
  const pragmas: string[] = [];
  proto.prepare = function (sql) {
    prepared.push(sql);
    return prepare.call(this, sql);
  };
  proto.pragma = function (source, options) {
    if (source.includes('=')) pragmas.push(source);
    return pragma.call(this, source, options);
  };
  try {
    return { result: await fn(), prepared, pragmas };
  } finally {
    proto.prepare = prepare;
    proto.pragma = pragma;
  }
}

/** The one prepared statement that `test` picks; fails loudly when the adapter's SQL changed. */
function pick(prepared: readonly string[], test: (sql: string) => boolean, what: string): string {
  const hits = [...new Set(prepared.filter(test))];
  if (hits.length !== 1)
    throw new Error(
      `sqlite bench: expected one ${what} statement, found ${hits.length}: update tools/bench/src/sqlite-bench.ts`,
    );
  return hits[0]!;
}

/** Runs `step` (which does `n` durable writes) until `ms` have passed; returns writes and time. */
async function timed(ms: number, step: () => Promise<number>): Promise<{ operations: number; ms: number }> {
  let operations = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) operations += await step();
  return { operations, ms: performance.now() - t0 };
}

/**
 * The SQLite adapter's durable writes against the disk's own fsync rate, in one run and one
 * directory: single writes (each awaited before the next: one commit, one sync each) should reach
 * 80% of the fsync rate; batches (an appendBatch, an enqueueMany, or concurrent calls that share one
 * group commit) at least 20 times it. Each workload alternates with the fsync loop in 100 ms slices
 * and is compared with the fsync rate of its own slices, so that a busy disk slows both alike.
 */
export const sqliteBenchmark: Benchmark = {
  name: 'sqlite',
  description:
    'SQLite adapter: durable writes per second against the fsync rate of the same disk (WAL, synchronous=FULL)',
  async run({ scale, progress }) {
    const dir = mkdtempSync(join(tmpdir(), 'stateproof-bench-sqlite-'));
    // The adapter's connection: what it prepares for a record store and the pragmas it sets.
    const opening = await captureSql(async () => sqliteAdapter({ path: join(dir, 'bench.db'), namespace: 'bench' }));
    const { result: adapter, pragmas } = opening;
    try {
      const { result: records, prepared: forRecords } = await captureSql(() => adapter.openRecord(binding('record')));
      const prepared = [...opening.prepared, ...forRecords];
      const log = await adapter.openLog(binding('log'));
      const queue = await adapter.openQueue(binding('queue'));
      // The raw side: a file with the adapter's schema (made by an adapter of its own, then closed),
      // the adapter's pragmas in the same order, and the two statements of an unconditional put as the
      // adapter prepared them: the version counter's UPDATE … RETURNING and the record upsert.
      const rawFile = join(dir, 'raw.db');
      const maker = sqliteAdapter({ path: rawFile, namespace: 'bench' });
      await maker.openRecord(binding('record'));
      await maker.close();
      const raw = new Database(rawFile, { timeout: 5000 });
      // The connection's pragmas (not those that wrote the new file's header: the raw file has them).
      for (const p of pragmas) if (!/^(encoding|application_id|user_version)\b/.test(p)) raw.pragma(p);
      const bumpSql = pick(prepared, (q) => /^UPDATE \S+counters SET value = value \+ \?/.test(q), 'counter bump');
      const upsertSql = pick(prepared, (q) => /^INSERT INTO \S+records .*ON CONFLICT/s.test(q), 'record upsert');
      const rawBegin = raw.prepare('BEGIN IMMEDIATE');
      const rawCommit = raw.prepare('COMMIT');
      const rawBump = raw.prepare(bumpSql);
      const rawInsertCounter = raw.prepare(
        pick(prepared, (q) => /^INSERT INTO \S+counters /.test(q), 'counter insert'),
      );
      const rawUpsert = raw.prepare(upsertSql);
      const space = binding('record').space;
      progress(
        `raw side: pragmas ${pragmas.join(', ')}; statements:\n    ${bumpSql}\n    ${upsertSql.replace(/\s+/g, ' ')}`,
      );
      const batch = 500;
      const sliceMs = 100;
      const slices = Math.max(1, Math.round(12 * scale));
      let n = 0;
      const probe = join(dir, 'fsync-probe.bin');
      const chunk = Buffer.alloc(100, 0x61);
      const probeFd = openSync(probe, 'a');
      const segments: Record<string, () => Promise<number>> = {
        // The disk: a small write appended to a file and fsynced, as a journal commit does.
        fsync: async () => {
          writeSync(probeFd, chunk);
          fsyncSync(probeFd);
          return 1;
        },
        'record put, single': async () => {
          await records.put(`k${n++ % 1000}`, VALUE);
          return 1;
        },
        // The raw driver running the statements of a put (counter, upsert) in its own transaction,
        // on a file of its own: how much of a single write is SQLite's commit and how much the adapter.
        'raw better-sqlite3, the statements of a put, single': async () => {
          rawBegin.run();
          let version = (rawBump.get(1, space, 'record-version') as { value: number } | undefined)?.value;
          if (version === undefined) {
            rawInsertCounter.run(space, 'record-version', 1);
            version = 1;
          }
          rawUpsert.run(space, `k${n++ % 1000}`, VALUE, version, null);
          rawCommit.run();
          return 1;
        },
        'log append, single': async () => {
          await log.append('single', [VALUE]);
          return 1;
        },
        'queue enqueue+claim+complete, single (3 writes)': async () => {
          await queue.enqueue({ queue: 'single', payload: VALUE });
          const [task] = await queue.claim({ worker: 'w', queues: ['single'], limit: 1, leaseMs: 60_000 });
          await queue.complete(task!.id, task!.token, null);
          return 3;
        },
        [`record put, ${batch} concurrent (group commit)`]: async () => {
          await Promise.all(Array.from({ length: batch }, (_, i) => records.put(`b${i}`, VALUE)));
          return batch;
        },
        [`log appendBatch of ${batch}`]: async () => {
          await log.append(
            'batched',
            Array.from({ length: batch }, () => VALUE),
          );
          return batch;
        },
        [`queue tasks, ${batch} per enqueueMany+claim+complete`]: async () => {
          await queue.enqueueMany(Array.from({ length: batch }, () => ({ queue: 'batched', payload: VALUE })));
          const tasks = await queue.claim({ worker: 'w', queues: ['batched'], limit: batch, leaseMs: 60_000 });
          await Promise.all(tasks.map((t) => queue.complete(t.id, t.token, null)));
          return tasks.length;
        },
      };
      // Each workload alternates with the fsync loop in short slices, and is compared with the fsync
      // rate measured in its own slices: the disk and CPU of a shared machine change by the second.
      const { fsync: probeStep, ...workloads } = segments;
      const fsyncAll = { operations: 0, ms: 0 };
      const rows: BenchRow[] = [];
      const ratios: Record<string, number> = {};
      const targets: Record<string, number> = {};
      for (const [label, step] of Object.entries(workloads)) {
        const paired = { operations: 0, ms: 0 };
        const work = { operations: 0, ms: 0 };
        let cpuMicros = 0;
        for (let slice = 0; slice < slices; slice++) {
          const f = await timed(sliceMs, probeStep!);
          const cpu = process.cpuUsage();
          const w = await timed(sliceMs, step);
          const used = process.cpuUsage(cpu);
          cpuMicros += used.user + used.system;
          paired.operations += f.operations;
          paired.ms += f.ms;
          work.operations += w.operations;
          work.ms += w.ms;
        }
        fsyncAll.operations += paired.operations;
        fsyncAll.ms += paired.ms;
        const fsyncRate = paired.operations / (paired.ms / 1000);
        const rate = work.operations / (work.ms / 1000);
        rows.push({
          label,
          operations: work.operations,
          ms: work.ms,
          opsPerSec: rate,
          notes: `fsync in the same slices: ${Math.round(fsyncRate)}/s; client CPU ${(cpuMicros / work.operations).toFixed(1)} µs per item`,
        });
        ratios[`${label} / fsync`] = rate / fsyncRate;
        // Queue batches: each task is three writes (enqueue, claim, completion), so 10 (issue 18).
        if (!label.startsWith('raw'))
          targets[`${label} / fsync`] = label.includes('single') ? 0.8 : label.startsWith('queue') ? 10 : 20;
        progress(`${label}: ${Math.round(rate)}/s, ${(rate / fsyncRate).toFixed(2)} x fsync`);
      }
      // The adapter's single put against the raw driver, in alternating slices of their own (the
      // disk's rate swings by the second, so rates from different slices do not compare).
      const rawLabel = 'raw better-sqlite3, the statements of a put, single';
      const pair = { adapter: { operations: 0, ms: 0 }, raw: { operations: 0, ms: 0 } };
      for (let slice = 0; slice < slices; slice++) {
        for (const side of slice % 2 === 0 ? (['adapter', 'raw'] as const) : (['raw', 'adapter'] as const)) {
          const r = await timed(sliceMs, workloads[side === 'adapter' ? 'record put, single' : rawLabel]!);
          pair[side].operations += r.operations;
          pair[side].ms += r.ms;
        }
      }
      const pairRate = (x: { operations: number; ms: number }) => x.operations / (x.ms / 1000);
      const putRatio = pairRate(pair.adapter) / pairRate(pair.raw);
      ratios['record put, single / raw better-sqlite3 (same statements, alternating slices)'] = putRatio;
      targets['record put, single / raw better-sqlite3 (same statements, alternating slices)'] = 0.95;
      progress(
        `record put, single: ${Math.round(pairRate(pair.adapter))}/s against raw ${Math.round(pairRate(pair.raw))}/s in alternating slices: ${putRatio.toFixed(3)}`,
      );
      raw.close();
      closeSync(probeFd);
      unlinkSync(probe);
      rows.unshift({
        label: 'fsync',
        operations: fsyncAll.operations,
        ms: fsyncAll.ms,
        opsPerSec: fsyncAll.operations / (fsyncAll.ms / 1000),
        notes: `${chunk.length}-byte appends + fsyncSync, same directory, all slices`,
      });
      return { name: 'sqlite', rows, ratios, targets };
    } finally {
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
