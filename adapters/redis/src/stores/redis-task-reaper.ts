import {
  countReaped,
  emptyReapReport,
  reapAttempt,
  retryDecision,
  type QueueBinding,
  type ReapedAttempt,
  type ReapReport,
} from '@stateproof/core/adapter-kit';
import type { LuaScript } from '../client/lua-script.js';
import type { QueueKeys } from './redis-queue-keys.js';
import type { RedisStoreContext } from './redis-store-context.js';

/** Expired attempts one reaper round reads at most (it goes on while rounds come back full). */
const REAP_BATCH = 500;
/** Rounds in a row that may end nothing because what they read changed before they wrote. */
const IDLE_ROUNDS = 3;

type Row = [id: string, token: string, startedAt: number, lease: number, attempts: number, max: number, cancel: number];

/**
 * The reaper of a queue surface: ends the expired or overdue attempts of every worker, whoever runs
 * it. Each round reads expired attempts (any worker's, from the running set by lease end), decides
 * each with core's reapAttempt and retryDecision (canceled instead when a cancel was requested),
 * and applies the decisions with a script that re-judges every attempt by its token, its lease and
 * the clock as it runs: an attempt renewed, ended, or already reaped by a concurrent reaper is left
 * alone and not counted, so no attempt is ever counted twice, and a second reap finds nothing.
 */
export async function reapTasks(
  ctx: RedisStoreContext,
  keys: QueueKeys,
  binding: QueueBinding,
  /** QUEUE_REAP_READ and QUEUE_REAP_APPLY (or a mutant's). */
  scripts: { readonly read: LuaScript; readonly apply: LuaScript },
): Promise<ReapReport> {
  const report = emptyReapReport();
  const max = binding.maxRuntimeMs ?? '';
  for (let idle = 0; idle < IDLE_ROUNDS;) {
    const read = (await ctx.runner.read(scripts.read, 'reading expired tasks', keys.keys, [
      ...keys.prefixes,
      REAP_BATCH,
    ])) as [number, number, ...Row[]];
    const now = Number(read[0]);
    const rows = read.slice(2) as Row[];
    if (rows.length === 0) break;
    const args: Array<string | number> = [...keys.prefixes, max, binding.attemptHistory, 0];
    const decided: Array<{ reaped: ReapedAttempt; next: 'queued' | 'failed' | 'canceled' }> = [];
    for (const [id, token, startedAt, lease, attempts, maxAttempts, cancel] of rows) {
      const reaped = reapAttempt(Number(startedAt), Number(lease), now, binding.maxRuntimeMs);
      if (!reaped) continue;
      const next =
        cancel === 1
          ? ({ state: 'canceled' } as const)
          : retryDecision(binding.retry, Number(attempts), Number(maxAttempts), true, ctx.random);
      args.push(
        id,
        token,
        reaped.outcome,
        reaped.error,
        next.state,
        next.state === 'queued' ? next.delayMs : 0,
        cancel === 1 ? '1' : '0',
      );
      decided.push({ reaped, next: next.state });
    }
    if (decided.length === 0) break;
    args[keys.prefixes.length + 2] = decided.length;
    const verdicts = (await ctx.runner.write(scripts.apply, 'reaping tasks', keys.keys, args)) as number[];
    let applied = 0;
    let changed = 0;
    verdicts.forEach((v, i) => {
      const d = decided[i];
      if (v === 1 && d) {
        countReaped(report, d.reaped, d.next);
        applied++;
      } else if (v === 2) changed++;
    });
    if (Number(read[1]) < REAP_BATCH && changed === 0) break;
    idle = applied === 0 ? idle + 1 : 0;
  }
  return report;
}
