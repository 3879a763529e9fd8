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
    const adapter = sqliteAdapter({ path: join(dir, 'bench.db'), namespace: 'bench' });
    try {
      const records = await adapter.openRecord(binding('record'));
      const log = await adapter.openLog(binding('log'));
      const queue = await adapter.openQueue(binding('queue'));
      const raw = new Database(join(dir, 'raw.db'));
      raw.pragma('journal_mode = wal');
      raw.pragma('synchronous = full');
      raw.exec(
        "CREATE TABLE c (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO c VALUES ('v', 0); CREATE TABLE r (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID",
      );
      const rawBegin = raw.prepare('BEGIN IMMEDIATE');
      const rawCommit = raw.prepare('COMMIT');
      const rawBump = raw.prepare("UPDATE c SET value = value + 1 WHERE name = 'v' RETURNING value");
      const rawUpsert = raw.prepare(
        'INSERT INTO r (key, value, version) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version',
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
          const version = (rawBump.get() as { value: number }).value;
          rawUpsert.run(`k${n++ % 1000}`, VALUE, version);
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
        for (let slice = 0; slice < slices; slice++) {
          const f = await timed(sliceMs, probeStep!);
          const w = await timed(sliceMs, step);
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
          notes: `fsync in the same slices: ${Math.round(fsyncRate)}/s`,
        });
        ratios[`${label} / fsync`] = rate / fsyncRate;
        if (!label.startsWith('raw')) targets[`${label} / fsync`] = label.includes('single') ? 0.8 : 20;
        progress(`${label}: ${Math.round(rate)}/s, ${(rate / fsyncRate).toFixed(2)} x fsync`);
      }
      const adapterPut = rows.find((r) => r.label === 'record put, single');
      const rawPut = rows.find((r) => r.label.startsWith('raw'));
      if (adapterPut && rawPut)
        ratios['record put, single / raw better-sqlite3 (same statements)'] = adapterPut.opsPerSec / rawPut.opsPerSec;
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
