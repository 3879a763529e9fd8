import { finishedRetentionCutoff } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryDataspaceStore } from '../../memory-dataspace-store.js';
import { MemoryQueueStore } from '../../memory-queue-store.js';
import { withDataspaceStore } from './dataspace-mutants.js';
import { mutantTarget } from './mutant-target.js';
import { withQueueStore } from './queue-mutants.js';

/** Prunes every finished task at once, whatever its window: an idempotency key still in its window is freed. */
class PruneIgnoresWindow extends MemoryQueueStore {
  override async prune(limit: number): Promise<number> {
    const due = [...this.space.finished.keys()].slice(0, limit);
    for (const id of due) this.removeFinished(id);
    return due.length;
  }
}

/** Counts the window from the enqueue instead of the finish: a task that ran long is pruned inside its window. */
class PruneFromEnqueue extends MemoryQueueStore {
  override async prune(limit: number): Promise<number> {
    const cutoff = finishedRetentionCutoff(this.clock.now(), this.binding.retention.finishedMs);
    const due = [...this.space.finished.keys()]
      .filter((id) => (this.space.tasks.get(id)?.enqueuedAt ?? 0) <= cutoff)
      .slice(0, limit);
    for (const id of due) this.removeFinished(id);
    return due.length;
  }
}

/** Pruning leaves the idempotency key behind: a new enqueue with it is deduped to a task that is gone. */
class PruneKeepsKey extends MemoryQueueStore {
  protected override removeFinished(id: string): void {
    this.space.finished.delete(id);
    this.space.tasks.delete(id);
  }
}

/** The counters are derived from the tasks kept, so pruning makes finished tasks disappear from them. */
class PruneForgetsCounts extends MemoryQueueStore {
  protected override removeFinished(id: string): void {
    const t = this.space.tasks.get(id);
    if (t?.state === 'succeeded' || t?.state === 'failed' || t?.state === 'canceled') this.space.totals[t.state]--;
    super.removeFinished(id);
  }
}

/** Prunes sessions whose lease passed even when no reaper ended them (and so never retracted their assertions), and ignores the window. */
class PruneOpenSessions extends MemoryDataspaceStore {
  override async prune(limit: number): Promise<number> {
    const now = this.clock.now();
    let pruned = 0;
    for (const s of this.space.sessions.values()) {
      if (pruned >= limit) break;
      if (s.state === 'open' && s.expiresAt > now) continue;
      this.space.sessions.delete(s.id);
      pruned++;
    }
    return pruned;
  }
}

/** Never prunes an ended session: the sessions table grows forever. */
class NeverPrunesSessions extends MemoryDataspaceStore {
  override async prune(): Promise<number> {
    return 0;
  }
}

/** Retention mutants: finished tasks and ended sessions pruned too early, too late, or with their bookkeeping broken. */
export const RETENTION_MUTANTS: readonly Mutant[] = [
  {
    name: 'queue-prune-ignores-window',
    kind: 'queue',
    bug: 'maintenance prunes finished tasks at once, so a key whose idempotency window is still open is freed and a duplicate is enqueued',
    breaks: ['QUE-037'],
    properties: ['queue/retention'],
    target: () => mutantTarget('queue-prune-ignores-window', withQueueStore(PruneIgnoresWindow)),
  },
  {
    name: 'queue-prune-from-enqueue',
    kind: 'queue',
    bug: 'the retention window is counted from the enqueue, not the finish, so a task that ran long is pruned within its window',
    breaks: ['QUE-037'],
    properties: ['queue/retention'],
    target: () => mutantTarget('queue-prune-from-enqueue', withQueueStore(PruneFromEnqueue)),
  },
  {
    name: 'queue-prune-keeps-key',
    kind: 'queue',
    bug: 'pruning a task leaves its idempotency key, so a later enqueue with it is deduped to a task that is gone',
    breaks: ['QUE-038'],
    properties: ['queue/retention'],
    target: () => mutantTarget('queue-prune-keeps-key', withQueueStore(PruneKeepsKey)),
  },
  {
    name: 'queue-prune-forgets-counts',
    kind: 'queue',
    bug: 'the finished counters drop what was pruned',
    breaks: ['QUE-038'],
    properties: ['queue/retention'],
    target: () => mutantTarget('queue-prune-forgets-counts', withQueueStore(PruneForgetsCounts)),
  },
  {
    name: 'dataspace-prune-unreaped-sessions',
    kind: 'dataspace',
    bug: 'retention removes sessions whose lease passed before any reaper ended them, without the window',
    breaks: ['DSP-025'],
    properties: ['dataspace/retention'],
    target: () => mutantTarget('dataspace-prune-unreaped-sessions', withDataspaceStore(PruneOpenSessions)),
  },
  {
    name: 'dataspace-never-prunes',
    kind: 'dataspace',
    bug: 'ended sessions are never pruned, so the sessions table grows forever',
    breaks: ['DSP-025'],
    properties: ['dataspace/retention'],
    target: () => mutantTarget('dataspace-never-prunes', withDataspaceStore(NeverPrunesSessions)),
  },
];
