import { show } from '../../models/model-mismatch.js';
import type { CheckContext } from './check-context.js';

/** How long the survivors get, past a dead session's lease and the clock tolerance, to reap it. */
export const REAP_MARGIN_MS = 300;

/** `w<worker>.<incarnation>` of a solo id (crash-workloads.ts), or undefined for any other id. */
function soloOwner(id: string): string | undefined {
  return /^(w\d+\.\d+):s\d+$/.exec(id)?.[1];
}

/**
 * DSP-024 across processes: the solo ids of a killed incarnation are asserted by no one else, so
 * only a reaper can retract them. For every incarnation killed at least a lease (plus tolerance and
 * {@link REAP_MARGIN_MS}) before the workers stopped, they must be gone before the harness reaps
 * anything itself, and the subscriber must have seen each acknowledged one retracted as `expired`:
 * the reaper of a surviving worker process did it. Runs before the harness's own reap.
 */
export async function checkDeadOwnersReaped(ctx: CheckContext): Promise<string[]> {
  const due = new Set(
    [...ctx.reapableAt]
      .filter(([, at]) => at + ctx.leaseMs + ctx.expirySlackMs + REAP_MARGIN_MS <= ctx.stoppedAt)
      .map(([incarnation]) => incarnation),
  );
  if (due.size === 0) return [];
  const violations: string[] = [];
  const left = (await ctx.rt.use(ctx.surfaces.dataspace!).list()).assertions.filter((a) =>
    due.has(soloOwner(a.id) ?? ''),
  );
  if (left.length > 0)
    violations.push(
      `dataspace: DSP-024: ${left.length} assertions of killed workers were never retracted by another process's reaper, a lease and more after the kill: ${show(left.map((a) => `${a.id} of ${a.owner}`))}`,
    );
  if (ctx.dataspaceEvents.some((e) => e.type === 'resync')) return violations; // the list above decides
  const expired = new Set(
    ctx.dataspaceEvents.flatMap((e) =>
      e.type === 'retracted' && e.reason === 'expired' ? [`${e.session}\u0000${e.id}`] : [],
    ),
  );
  const missed = ctx.history
    .of('dataspace')
    .filter((o) => o.op === 'assert' && o.state === 'acked' && due.has(soloOwner(o.key) ?? ''))
    .filter((o) => !expired.has(`${(o.args as { session: string }).session}\u0000${o.key}`));
  if (missed.length > 0)
    violations.push(
      `dataspace: DSP-024: the subscriber never saw ${show(missed.map((o) => o.key))} of killed workers retracted as expired while the other workers ran`,
    );
  return violations;
}
