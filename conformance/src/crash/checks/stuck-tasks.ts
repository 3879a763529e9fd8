import type { QueueCounters, TaskView } from '@stateproof/core';
import type { DrainResult } from './queue-drain.js';

/** Tasks shown in full in a stuck report; the rest are counted. */
export const STUCK_SHOWN = 20;

/** The concurrency limits of a queue surface, as defined. */
export interface QueueLimits {
  /** Running attempts allowed across the surface. */
  readonly global?: number;
  /** Running attempts allowed per named queue. */
  readonly perQueue?: number;
}

/** What keeps a task from being claimed, judged from its row and the counters: a group label. */
export function blockingLimit(
  t: TaskView<unknown, unknown>,
  now: number,
  limits: QueueLimits,
  running: { readonly total: number; readonly inQueue: number },
): string {
  if (t.state === 'running') {
    if (t.leaseExpiresAt !== null && t.leaseExpiresAt > now) return 'running: lease not expired';
    return 'running: lease expired, yet the reaper does not recover it';
  }
  if (t.attempts >= t.maxAttempts)
    return `queued with its attempts exhausted (${t.attempts}/${t.maxAttempts}): no attempt may start`;
  if (t.runAt > now) return 'queued, not yet due';
  if (limits.global !== undefined && running.total >= limits.global)
    return `queued and due: concurrency.global ${limits.global} reached with ${running.total} running`;
  if (limits.perQueue !== undefined && running.inQueue >= limits.perQueue)
    return `queued and due: concurrency.perQueue ${limits.perQueue} reached in its queue with ${running.inQueue} running`;
  const set = [
    limits.global === undefined ? undefined : `concurrency.global ${limits.global}`,
    limits.perQueue === undefined ? undefined : `concurrency.perQueue ${limits.perQueue}`,
  ].filter((x) => x !== undefined);
  return `queued and due, under every limit by the rows (${set.length > 0 ? set.join(', ') : 'no concurrency limit'}, ${running.total} running): yet no claim takes it`;
}

/** One task's row, as the report shows it. */
function describeRow(t: TaskView<unknown, unknown>, now: number): string {
  const at = (ms: number) => `${ms - now >= 0 ? '+' : ''}${ms - now} ms`;
  const last = t.history.at(-1);
  return [
    `${t.id} ${t.state}${t.queue ? ` in queue ${JSON.stringify(t.queue)}` : ''}`,
    `due ${at(t.runAt)}`,
    `lease ${t.leaseExpiresAt === null ? 'none' : `ends ${at(t.leaseExpiresAt)}`}`,
    `attempts ${t.attempts}/${t.maxAttempts}`,
    `last attempt ${last ? JSON.stringify(last) : 'none'}`,
  ].join(', ');
}

/**
 * The one liveness violation of a stalled drain: how many tasks are left, how long nothing moved,
 * and the stuck tasks grouped by what blocks them, the first {@link STUCK_SHOWN} with their rows
 * (state, due time, lease end, attempts, last attempt), the others counted.
 */
export function stuckReport(
  drain: DrainResult,
  stuck: readonly TaskView<unknown, unknown>[],
  limits: QueueLimits,
  now: number,
): string {
  const c: QueueCounters = drain.counters;
  const running = stuck.filter((t) => t.state === 'running');
  const perQueue = new Map<string, number>();
  for (const t of running) perQueue.set(t.queue, (perQueue.get(t.queue) ?? 0) + 1);
  const groups = new Map<string, TaskView<unknown, unknown>[]>();
  for (const t of stuck) {
    const label = blockingLimit(t, now, limits, {
      total: Math.max(c.running, running.length),
      inQueue: perQueue.get(t.queue) ?? 0,
    });
    groups.set(label, [...(groups.get(label) ?? []), t]);
  }
  const lines = [
    `queue: liveness: ${c.queued} tasks queued and ${c.running} running, and no task was claimed or completed for ${(drain.idleMs / 1000).toFixed(1)} s (the drain claimed ${drain.claimed} and completed ${drain.finished} in ${(drain.durationMs / 1000).toFixed(1)} s); ${stuck.length} acknowledged tasks are stuck, by what blocks them:`,
  ];
  let shown = 0;
  for (const [label, tasks] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${tasks.length} ${label}:`);
    const show = tasks.slice(0, Math.max(0, STUCK_SHOWN - shown));
    for (const t of show) lines.push(`    ${describeRow(t, now)}`);
    shown += show.length;
    if (tasks.length > show.length) lines.push(`    … and ${tasks.length - show.length} more`);
  }
  return lines.join('\n');
}
