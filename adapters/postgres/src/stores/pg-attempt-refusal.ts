import { attemptLost, NotFoundError, type TaskState } from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import type { PgStoreContext } from './pg-store-context.js';

/**
 * After a compare-and-set write of the attempt `token` names changed no row: throws why (core's
 * NotFoundError or LeaseLostError, as every adapter words them), judged on the task as it is now,
 * in either table, by the server's clock. Returns `valid` when the task shows that attempt running
 * under a live lease after all (the attempt changed while it was written); the caller says so.
 */
export async function explainRefusal(
  ctx: PgStoreContext,
  space: number,
  id: string,
  tid: string | null,
  token: string,
  operation: string,
): Promise<'valid'> {
  if (tid === null) throw new NotFoundError(`task ${id}`);
  const rows = await ctx.db.query<{
    state: TaskState;
    token: string | null;
    attempts: number;
    lease_expires_at: string | null;
    now: string;
  }>(
    'reading a task',
    `select state, token, attempts, lease_expires_at, ${NOW} as now from ${ctx.s}.tasks where space_id = $1 and id = $2
     union all select state, null, attempts, null, ${NOW} from ${ctx.s}.tasks_done where space_id = $1 and id = $2`,
    [space, tid],
    { idempotent: true },
  );
  const t = rows[0];
  const leaseExpiresAt = t?.lease_expires_at === null || t === undefined ? null : Number(t.lease_expires_at);
  const snapshot = t && { state: t.state, token: t.token, attempts: Number(t.attempts), leaseExpiresAt };
  const lost = attemptLost(operation, id, token, snapshot, Number(t?.now ?? 0));
  if (lost) throw lost;
  return 'valid';
}
