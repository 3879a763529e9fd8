import { show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { TaskView } from '@stateproof/core';
import type { CrashCheck } from './check-context.js';
import { stallLimitMs } from './progress-watch.js';
import { drainQueue } from './queue-drain.js';
import { STUCK_SHOWN, stuckReport, type QueueLimits } from './stuck-tasks.js';

/** Tasks the check reads at once. */
const READ_AT_ONCE = 64;

/**
 * At-least-once across crashes: every acknowledged task is completed in the end (the dead workers'
 * attempts expire, are reaped and done by others; the harness drains the rest, and a drain that
 * stops moving is one liveness violation naming the stuck tasks and what blocks them); attempts are
 * numbered without gaps; a task is completed once; the late write of a dead attempt is refused with
 * STATEPROOF_LEASE_LOST.
 */
export const checkQueues: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.queue!);
  const violations: string[] = [];
  const enqueued: string[] = [];
  for (const o of ctx.history.of('queue', 'enqueue')) if (o.state === 'acked') enqueued.push(...(o.result as string[]));
  // The attempts the dead workers claimed and never completed (only theirs are tried again late).
  const completedTokens = new Set<string>();
  const claims: Array<{ id: string; token: string; attempt: number; incarnation: string }> = [];
  for (const o of ctx.history.of('queue', 'complete'))
    if (o.state === 'acked' && ctx.killed.has(`w${o.worker}.${o.incarnation}`))
      completedTokens.add((o.args as { token: string }).token);
  for (const o of ctx.history.of('queue', 'claim')) {
    const incarnation = `w${o.worker}.${o.incarnation}`;
    if (o.state !== 'acked' || !ctx.killed.has(incarnation)) continue;
    for (const t of o.result as Array<{ id: string; token: string; attempt: number }>)
      if (!completedTokens.has(t.token)) claims.push({ ...t, incarnation });
  }
  await ctx.waitForLeases();
  // The dead attempts' late writes: their leases have ended, whoever holds the task now.
  for (const t of claims) {
    const late = await outcome(() => h.complete({ id: t.id, token: t.token }, { late: true }));
    if (late.ok || late.code !== 'STATEPROOF_LEASE_LOST')
      violations.push(
        `queue task ${t.id}: the late complete of attempt ${t.attempt} by dead ${t.incarnation} gave ${late.ok ? 'ok' : late.code}, not STATEPROOF_LEASE_LOST`,
      );
  }
  // Drain: the harness is several more participants; they reap and finish what is left, judged by
  // progress (progress-watch.ts). Their leases are as short as the workers' (a slow server may outlast
  // them): a task they lost is reaped and claimed again.
  const drain = await drainQueue(h, {
    stallMs: stallLimitMs(ctx),
    onProgress: (p) => ctx.onDrain?.('queue', p),
  });
  const stuck: TaskView<unknown, unknown>[] = [];
  // Tasks that ended other than succeeded: the first few in full, then a count per state.
  const ended = new Map<string, number>();
  // Read a page of tasks at once: one after another, a server's round trips add up to tens of
  // minutes over the million tasks of a long campaign.
  for (let at = 0; at < enqueued.length; at += READ_AT_ONCE) {
    const ids = enqueued.slice(at, at + READ_AT_ONCE);
    const tasks = await Promise.all(ids.map((id) => h.get(id)));
    ids.forEach((id, j) => judgeTask(id, tasks[j]));
  }
  function judgeTask(id: string, t: TaskView<unknown, unknown> | null | undefined): void {
    if (!t) {
      violations.push(`queue task ${id} was acknowledged as enqueued but does not exist`);
      return;
    }
    // What a stalled drain left is one liveness violation (below), not one per task.
    if (drain.verdict === 'stalled' && (t.state === 'queued' || t.state === 'running')) stuck.push(t);
    else if (t.state !== 'succeeded') {
      const n = (ended.get(t.state) ?? 0) + 1;
      ended.set(t.state, n);
      if (n <= STUCK_SHOWN)
        violations.push(`queue task ${id} ended ${t.state}, not succeeded (${show(t.history.at(-1) ?? null)})`);
    }
    const numbers = t.history.map((a) => a.attempt);
    const first = numbers[0] ?? 1;
    if (numbers.some((n, i) => n !== first + i) || (numbers.at(-1) ?? 0) !== t.attempts)
      violations.push(`queue task ${id}: attempts ${show(numbers)} of ${t.attempts} are not numbered without gaps`);
  }
  for (const [state, n] of ended)
    if (n > STUCK_SHOWN) violations.push(`queue: … and ${n - STUCK_SHOWN} more tasks ended ${state}, not succeeded`);
  if (drain.verdict === 'stalled') {
    const limits = (ctx.surfaces.queue!.definition.options.concurrency ?? {}) as QueueLimits;
    violations.push(stuckReport(drain, stuck, limits, Date.now()));
  }
  const completes = new Map<string, number>();
  for (const o of ctx.history.of('queue', 'complete'))
    if (o.state === 'acked') completes.set(o.key, (completes.get(o.key) ?? 0) + 1);
  for (const [id, n] of completes)
    if (n > 1) violations.push(`queue task ${id} was completed ${n} times: two attempts both succeeded`);
  return violations;
};
