import { show } from '../../models/model-mismatch.js';
import type { CrashCheck } from './check-context.js';
import { checkDeadOwnersReaped } from './check-dataspace-reaper.js';
import { progressWatch, stallLimitMs, untilDoneOrStalled } from './progress-watch.js';

/**
 * The assertions of a killed worker's session are retracted once its lease ends, by another
 * process's reaper, and every subscriber sees it (those nobody touches again while the other
 * workers still ran, see check-dataspace-reaper.ts); the sessions of workers that stopped cleanly were
 * retracted on close; nothing is left asserted; the subscriber saw revisions strictly increase.
 */
export const checkDataspaces: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.dataspace!);
  // Before the harness reaps: the survivors' reapers must already have retracted the long-dead.
  const violations: string[] = await checkDeadOwnersReaped(ctx);
  const ops = ctx.history.of('dataspace');
  await ctx.waitForLeases();
  // Reaped again while assertions still go away; judged by progress (progress-watch.ts).
  let left = await h.list();
  await untilDoneOrStalled(progressWatch(stallLimitMs(ctx)), async () => {
    const before = left.assertions.length;
    await h.reap();
    left = await h.list();
    return { done: left.assertions.length === 0, progressed: left.assertions.length < before };
  });
  if (left.assertions.length > 0)
    violations.push(
      `dataspace: ${left.assertions.length} assertions outlived their sessions: ${show(left.assertions.map((a) => `${a.id} of ${a.owner}`))}`,
    );
  // What each killed session held when it died, by its acknowledged operations.
  const held = new Map<string, Set<string>>();
  // The ids each killed session's acknowledged asserts made (`session\0id`).
  const ackedAsserts = new Set<string>();
  for (const o of ops) {
    if (!ctx.killed.has(`w${o.worker}.${o.incarnation}`)) continue;
    const session = (o.args as { session?: string } | null)?.session;
    if (!session) continue;
    const ids = held.get(session) ?? new Set<string>();
    held.set(session, ids);
    if (o.op === 'assert' && o.state !== 'failed') ids.add(o.key);
    if (o.op === 'assert' && o.state === 'acked') ackedAsserts.add(`${session}\u0000${o.key}`);
    if (o.op === 'retract' && o.state === 'acked') ids.delete(o.key);
  }
  let last = -1;
  const retracted = new Set<string>();
  for (const e of ctx.dataspaceEvents) {
    if (e.type === 'resync' || e.type === 'snapshot') {
      if (e.type === 'snapshot') last = e.revision;
      continue;
    }
    if (e.revision <= last) violations.push(`dataspace: the subscriber saw revision ${e.revision} after ${last}`);
    last = e.revision;
    if (e.type === 'retracted') retracted.add(`${e.session}\u0000${e.id}`);
  }
  // After a resync a retraction may hide in a fresh snapshot; then only the final state above is checked.
  const resynced = ctx.dataspaceEvents.some((e) => e.type === 'resync');
  for (const [session, ids] of resynced ? [] : held) {
    for (const id of ids) {
      if (ackedAsserts.has(`${session}\u0000${id}`) && !retracted.has(`${session}\u0000${id}`))
        violations.push(`dataspace: the subscriber never saw ${id} of dead session ${session} retracted`);
    }
  }
  return violations;
};
