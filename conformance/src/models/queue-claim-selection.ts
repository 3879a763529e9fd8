import type { RequirementId } from '../requirements/requirement-ids.js';
import type { QueueSettings } from './queue-settings.js';
import { TERMINAL, type Task } from './queue-task.js';

/** What a claim must take: the tasks it may take, best first, and those it must take within the limits. */
export interface ClaimSelection {
  /** Queued, due tasks of the requested queues, by priority, then due time, then enqueue order. */
  readonly candidates: readonly Task[];
  /** The first candidates that fit the claim's limit and the concurrency limits, in that order. */
  readonly want: readonly Task[];
}

/** The tasks a claim of `queues` (all when empty) with `limit` must take at `now`. */
export function claimSelection(
  tasks: Iterable<Task>,
  queues: readonly string[],
  limit: number,
  now: number,
  concurrency: QueueSettings['concurrency'],
): ClaimSelection {
  const { global, perQueue } = concurrency;
  const all = [...tasks];
  let running = 0;
  const perQ = new Map<string, number>();
  for (const t of all) {
    if (t.state !== 'running') continue;
    running++;
    perQ.set(t.queue, (perQ.get(t.queue) ?? 0) + 1);
  }
  const candidates = all
    .filter((t) => t.state === 'queued' && t.runAt <= now && (queues.length === 0 || queues.includes(t.queue)))
    .sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.seq - b.seq);
  const want: Task[] = [];
  for (const t of candidates) {
    if (want.length >= limit || (global !== undefined && running >= global)) break;
    const q = perQ.get(t.queue) ?? 0;
    if (perQueue !== undefined && q >= perQueue) continue;
    want.push(t);
    running++;
    perQ.set(t.queue, q + 1);
  }
  return { candidates, want };
}

/**
 * The requirements a claim breaks when it took `gotIds` instead of `wantIds`: named after the first
 * task it should not have taken (running, not yet due, finished), else after the order or limits.
 */
export function claimBlame(
  stray: Task | undefined,
  gotIds: readonly string[],
  wantIds: readonly string[],
  now: number,
  concurrency: QueueSettings['concurrency'],
): RequirementId[] {
  if (stray?.state === 'running') return ['QUE-006'];
  if (stray && stray.runAt > now) return ['QUE-004'];
  if (stray && TERMINAL.includes(stray.state)) return ['QUE-016', 'QUE-015'];
  const limited = concurrency.global !== undefined || concurrency.perQueue !== undefined;
  return gotIds.length > wantIds.length || limited ? ['QUE-007', 'QUE-005'] : ['QUE-005', 'QUE-004'];
}
