import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { ClaimedTask, QueueBinding, QueueClaimOptions, QueueStore } from '@stateproof/core/adapter-kit';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import type { StoreContext } from '../../stores/store-context.js';
import { SqliteQueueStore } from '../../stores/sqlite-queue-store.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/conformance/mutants/concurrency-slot-mutants.js', import.meta.url).href
  : import.meta.url;

/** The counter of taken slots, beside the namespace's other counters. */
const SLOTS = 'mutant-slots';

/**
 * A queue that keeps its global concurrency in a counter of taken slots instead of counting the
 * running rows: a claim takes a slot per task, a completion or failure gives it back, but the reaper
 * that recovers an attempt whose worker was killed never does. Each kill of a worker holding tasks
 * leaves slots taken for good, until no claim can take a task again.
 */
class SlotCounterQueueStore extends SqliteQueueStore {
  constructor(
    private readonly c: StoreContext,
    private readonly b: QueueBinding,
  ) {
    super(c, b);
  }

  private release(): Promise<void> {
    return this.c.exec.write(() => void this.c.counters.bump(this.b.space, SLOTS, -1));
  }

  override async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const global = this.b.concurrency.global;
    if (global === undefined) return super.claim(options);
    const free = global - (await this.c.exec.read(() => this.c.counters.read(this.b.space, SLOTS)));
    if (free <= 0) return [];
    const tasks = await super.claim({ ...options, limit: Math.min(options.limit, free) });
    if (tasks.length > 0) await this.c.exec.write(() => void this.c.counters.bump(this.b.space, SLOTS, tasks.length));
    return tasks;
  }

  override async complete(id: string, token: string, result: string | null): Promise<void> {
    await super.complete(id, token, result);
    await this.release();
  }

  override async fail(id: string, token: string, error: string, options?: { readonly retry?: boolean }) {
    const r = await super.fail(id, token, error, options);
    await this.release();
    return r;
  }

  override async acknowledgeCancel(id: string, token: string): Promise<void> {
    await super.acknowledgeCancel(id, token);
    await this.release();
  }
}

/** The SQLite adapter whose queues count their concurrency in a slot counter the reaper never gives back. */
class SlotCounterSqliteAdapter extends SqliteAdapter {
  override async openQueue(binding: QueueBinding): Promise<QueueStore> {
    await super.openQueue(binding);
    return new SlotCounterQueueStore(this.ctx, binding);
  }
}

/** The target of that adapter over `file` (a new temp file when omitted); crash workers open the same file. */
export function slotCounterSqliteTarget(args: { file?: string } = {}): ConformanceTarget {
  const dir = args.file === undefined ? mkdtempSync(join(tmpdir(), 'stateproof-slots-sqlite-')) : undefined;
  const file = args.file ?? join(dir as string, 'slots.db');
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    name: 'mutant:sqlite-queue-slots-leak-on-kill',
    create: ({ namespace, clock }) => new SlotCounterSqliteAdapter({ path: file, namespace, clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
    spawn: { module: BUILT_MODULE, export: 'slotCounterSqliteTarget', args: { file } },
  };
}

/** Mutants of the SQLite queue's concurrency accounting, caught by the crash harness's drain. */
export const SQLITE_CONCURRENCY_SLOT_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-queue-slots-leak-on-kill',
    kind: 'queue',
    bug: 'the global concurrency is a counter of taken slots that completions give back but the reaper does not: every task a killed worker held keeps its slot, until no claim can take a task again',
    breaks: ['QUE-036'],
    target: () => slotCounterSqliteTarget(),
    suite: false,
    // Enough kills that the tasks killed workers held fill every slot of the crash queue's limit,
    // with a margin: a kill may find its victim holding no task (40 kills once fell short in CI).
    crash: { kinds: ['queue'], kills: 64 },
  },
];
