import { show } from '../../models/model-mismatch.js';
import type { CheckContext } from './check-context.js';

/** `w<worker>.<incarnation>` of a solo id (crash-workloads.ts), or undefined for any other id. */
function soloOwner(id: string): string | undefined {
  return /^(w\d+\.\d+):s\d+$/.exec(id)?.[1];
}

/**
 * DSP-024 across processes: the solo ids of a killed incarnation are asserted by no one else, so
 * only a reaper can retract them. For every killed incarnation that a surviving worker's `reap`
 * started after (the worker stamps each reap with its start time) once the dead session's lease and
 * the clock tolerance were over, and was acknowledged, none of them may be left. Runs before the
 * harness reaps anything itself; the subscriber's view of these retractions is checked with the
 * other dead sessions' afterwards (check-dataspaces.ts).
 */
export async function checkDeadOwnersReaped(ctx: CheckContext): Promise<string[]> {
  // The latest acknowledged reap's start per reaping incarnation, latest first: a dead incarnation
  // is due when the latest reap by anyone else started after its lease ended (linear in the reaps).
  const latest = new Map<string, number>();
  for (const o of ctx.history.of('dataspace', 'reap')) {
    if (o.state !== 'acked') continue;
    const by = `w${o.worker}.${o.incarnation}`;
    const at = (o.args as { at?: number } | null)?.at ?? -Infinity;
    if (at > (latest.get(by) ?? -Infinity)) latest.set(by, at);
  }
  const [first, second] = [...latest].sort((a, b) => b[1] - a[1]);
  const latestByOther = (dead: string) => (first && first[0] !== dead ? first[1] : (second?.[1] ?? -Infinity));
  const due = new Set(
    [...ctx.reapableAt]
      .filter(([dead, at]) => latestByOther(dead) >= at + ctx.leaseMs + ctx.expirySlackMs)
      .map(([dead]) => dead),
  );
  if (due.size === 0) return [];
  const left = (await ctx.rt.use(ctx.surfaces.dataspace!).list()).assertions.filter((a) =>
    due.has(soloOwner(a.id) ?? ''),
  );
  return left.length === 0
    ? []
    : [
        `dataspace: DSP-024: ${left.length} assertions of killed workers were never retracted by another process's reaper, though one reaped after their lease ended: ${show(left.map((a) => `${a.id} of ${a.owner}`))}`,
      ];
}
