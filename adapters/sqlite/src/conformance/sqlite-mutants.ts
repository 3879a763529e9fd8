import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSqliteNamespace } from '../schema/drop-namespace.js';
import { SqliteAdapter } from '../sqlite-adapter.js';
import type { SqliteAdapterOptions } from '../sqlite-options.js';
import { SqliteLogStore } from '../stores/sqlite-log-store.js';
import { SqliteQueueStore } from '../stores/sqlite-queue-store.js';
import { SQLITE_DATASPACE_GLOB_MUTANTS } from './mutants/dataspace-glob-mutants.js';
import { SQLITE_DATASPACE_REAP_MUTANTS } from './mutants/dataspace-reap-mutants.js';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { RECORD_EXPIRY_MUTANTS } from './mutants/record-expiry-mutants.js';
import type { EnqueueSpec, LogStore, ProbeResult, QueueStore, LogBinding, QueueBinding } from '@stateproof/core';
import { SQLITE_QUEUE_ORDER_MUTANTS } from './mutants/queue-order-mutants.js';
import { SQLITE_PROJECTION_MUTANTS } from './mutants/projection-mutants.js';
import { SQLITE_RETENTION_MUTANTS } from './mutants/retention-mutants.js';
import { SQLITE_CONCURRENCY_SLOT_MUTANTS } from './mutants/concurrency-slot-mutants.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/conformance/sqlite-mutants.js', import.meta.url).href
  : import.meta.url;

/** Appends a batch one entry per transaction: a kill in the middle leaves half a batch. */
class UnbatchedLogStore extends SqliteLogStore {
  override async append(stream: string, values: readonly string[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const v of values) seqs.push(...(await super.append(stream, [v])));
    return seqs;
  }
}

/** Enqueues a batch one task per transaction. */
class UnbatchedQueueStore extends SqliteQueueStore {
  override async enqueueMany(specs: readonly EnqueueSpec[]): Promise<Array<{ id: string; deduped: boolean }>> {
    const out: Array<{ id: string; deduped: boolean }> = [];
    for (const s of specs) out.push(...(await super.enqueueMany([s])));
    return out;
  }
}

/**
 * The SQLite adapter with `synchronous=OFF` and no transaction around batches, whose probe claims the
 * default settings: fast, and it tells no one.
 */
class UnsafeSqliteAdapter extends SqliteAdapter {
  override async openLog(binding: LogBinding): Promise<LogStore> {
    await super.openLog(binding);
    return new UnbatchedLogStore(this.ctx, binding);
  }
  override async openQueue(binding: QueueBinding): Promise<QueueStore> {
    await super.openQueue(binding);
    return new UnbatchedQueueStore(this.ctx, binding);
  }
  override async probe(): Promise<ProbeResult> {
    const honest = await super.probe();
    return {
      ...honest,
      settings: { ...honest.settings, synchronous: 'full' },
      faults: { 'process-kill': 'no-loss', 'backend-kill': 'no-loss', 'os-crash': 'no-loss' },
      classes: honest.classes.map((c) =>
        c.class === 'restart-safe-local' || c.class === 'derived-projection'
          ? { class: c.class, certified: true, reasons: ['synchronous=FULL (claimed)'], unmet: [], fixes: [] }
          : c,
      ),
    };
  }
}

/** The target of the unsafe variant over `file` (a new temp file when omitted). */
export function unsafeSqliteTarget(args: { file?: string } = {}): ConformanceTarget {
  const dir = args.file === undefined ? mkdtempSync(join(tmpdir(), 'stateproof-unsafe-sqlite-')) : undefined;
  const file = args.file ?? join(dir as string, 'unsafe.db');
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const options = (namespace: string): SqliteAdapterOptions => ({ path: file, namespace, synchronous: 'off' });
  return {
    name: 'mutant:sqlite-unsafe-batches',
    create: ({ namespace, clock }) => new UnsafeSqliteAdapter({ ...options(namespace), clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
    spawn: { module: BUILT_MODULE, export: 'unsafeSqliteTarget', args: { file } },
  };
}

/** Mutants of the SQLite adapter, caught by the crash harness. */
export const SQLITE_MUTANTS: readonly Mutant[] = [
  ...SQLITE_QUEUE_ORDER_MUTANTS,
  {
    name: 'sqlite-synchronous-off-unbatched',
    kind: 'log',
    bug: 'synchronous=OFF and no transaction around batches, with a probe that claims the defaults: a kill mid-batch leaves half a batch',
    breaks: ['LOG-004', 'LOG-030', 'QUE-003', 'QUE-036'],
    target: () => unsafeSqliteTarget(),
    suite: false,
    crash: { kinds: ['log', 'queue'], kills: 6 },
  },
  ...RECORD_EXPIRY_MUTANTS,
  ...SQLITE_DATASPACE_GLOB_MUTANTS,
  ...SQLITE_DATASPACE_REAP_MUTANTS,
  ...SQLITE_PROJECTION_MUTANTS,
  ...SQLITE_RETENTION_MUTANTS,
  ...SQLITE_CONCURRENCY_SLOT_MUTANTS,
];
