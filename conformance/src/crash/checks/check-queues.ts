import { show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { CrashCheck } from './check-context.js';

/**
 * At-least-once across crashes: every acknowledged task is completed in the end (the dead workers'
 * attempts expire, are reaped and done by others); attempts are numbered without gaps; a task is
 * completed once; the late write of a dead attempt is refused with STATEPROOF_LEASE_LOST.
 */
export const checkQueues: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.queue!);
  const violations: string[] = [];
  const ops = ctx.history.of('queue');
  const enqueued = ops.filter((o) => o.op === 'enqueue' && o.state === 'acked').flatMap((o) => o.result as string[]);
  const completedTokens = new Set(
    ops.filter((o) => o.op === 'complete' && o.state === 'acked').map((o) => (o.args as { token: string }).token),
  );
  const claims = ops
    .filter((o) => o.op === 'claim' && o.state === 'acked')
    .flatMap((o) =>
      (o.result as Array<{ id: string; token: string; attempt: number }>).map((t) => ({
        ...t,
        incarnation: `w${o.worker}.${o.incarnation}`,
      })),
    );
  await ctx.waitForLeases();
  // The dead attempts' late writes: their leases have ended, whoever holds the task now.
  for (const t of claims.filter((c) => ctx.killed.has(c.incarnation) && !completedTokens.has(c.token))) {
    const late = await outcome(() => h.complete({ id: t.id, token: t.token }, { late: true }));
    if (late.ok || late.code !== 'STATEPROOF_LEASE_LOST')
      violations.push(
        `queue task ${t.id}: the late complete of attempt ${t.attempt} by dead ${t.incarnation} gave ${late.ok ? 'ok' : late.code}, not STATEPROOF_LEASE_LOST`,
      );
  }
  // Drain: the harness is one more participant; it reaps and finishes what is left. Its own lease
  // is as short as the workers' (a slow server may outlast it): a task it lost is reaped and claimed again.
  const deadline = Date.now() + 20 * ctx.leaseMs + 10_000;
  for (;;) {
    await h.reap();
    const tasks = await h.claim({ worker: 'harness', limit: 20 });
    for (const t of tasks) {
      const done = await outcome(() => h.complete(t, { by: 'harness', attempt: t.attempt }));
      if (!done.ok && done.code !== 'STATEPROOF_LEASE_LOST') throw done.error;
    }
    const c = await h.counters();
    if (c.queued === 0 && c.running === 0) break;
    if (Date.now() > deadline) {
      violations.push(`queue: ${c.queued} tasks still queued and ${c.running} running long after every lease ended`);
      break;
    }
    if (tasks.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const id of enqueued) {
    const t = await h.get(id);
    if (!t) {
      violations.push(`queue task ${id} was acknowledged as enqueued but does not exist`);
      continue;
    }
    if (t.state !== 'succeeded')
      violations.push(`queue task ${id} ended ${t.state}, not succeeded (${show(t.history.at(-1) ?? null)})`);
    const numbers = t.history.map((a) => a.attempt);
    const first = numbers[0] ?? 1;
    if (numbers.some((n, i) => n !== first + i) || (numbers.at(-1) ?? 0) !== t.attempts)
      violations.push(`queue task ${id}: attempts ${show(numbers)} of ${t.attempts} are not numbered without gaps`);
  }
  const completes = new Map<string, number>();
  for (const o of ops.filter((x) => x.op === 'complete' && x.state === 'acked'))
    completes.set(o.key, (completes.get(o.key) ?? 0) + 1);
  for (const [id, n] of completes)
    if (n > 1) violations.push(`queue task ${id} was completed ${n} times: two attempts both succeeded`);
  return violations;
};
