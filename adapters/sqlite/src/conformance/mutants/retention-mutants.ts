import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { QueueBinding, QueueStore } from '@stateproof/core';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import type { StoreContext } from '../../stores/store-context.js';
import { SqliteQueueStore } from '../../stores/sqlite-queue-store.js';
import { SqliteTaskPruning } from '../../stores/sqlite-task-pruning.js';

/** Prunes finished tasks by when they were enqueued, not when they finished: one that ran long goes inside its window. */
class PruneFromEnqueueStore extends SqliteQueueStore {
  private readonly pruning: SqliteTaskPruning;

  constructor(ctx: StoreContext, binding: QueueBinding) {
    super(ctx, binding);
    this.pruning = new SqliteTaskPruning(ctx, binding, 'enqueued_at');
  }

  override async prune(limit: number): Promise<number> {
    return this.pruning.prune(limit);
  }
}

/** The SQLite adapter whose queues prune from the enqueue. */
class PruneFromEnqueueAdapter extends SqliteAdapter {
  override async openQueue(binding: QueueBinding): Promise<QueueStore> {
    await super.openQueue(binding);
    return new PruneFromEnqueueStore(this.ctx, binding);
  }
}

/** A target of that adapter over a new temp file. */
function pruneFromEnqueueTarget(): ConformanceTarget {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-retention-sqlite-'));
  const file = join(dir, 'retention.db');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    name: 'mutant:sqlite-prune-from-enqueue',
    create: ({ namespace, clock }) => new PruneFromEnqueueAdapter({ path: file, namespace, clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
  };
}

/** SQLite mutants of retention (spec/contract/queue.md QUE-037), caught by queue/retention. */
export const SQLITE_RETENTION_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-prune-from-enqueue',
    kind: 'queue',
    bug: 'the prune statement counts the retention window from enqueued_at instead of finished_at, so a task that ran long is pruned within its window',
    breaks: ['QUE-037'],
    properties: ['queue/retention'],
    target: pruneFromEnqueueTarget,
  },
];
