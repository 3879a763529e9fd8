import { isDeepStrictEqual } from 'node:util';
import { show } from '../../models/model-mismatch.js';
import type { CrashCheck } from './check-context.js';
import { progressWatch, stallLimitMs, untilDoneOrStalled } from './progress-watch.js';

/**
 * Acknowledged completions stay completed with their result; fencing tokens are never handed out
 * twice for a key; once the leases of the dead end, every claim that is not terminal can be taken (a key still held
 * is tried again while others come free: judged by progress, progress-watch.ts).
 */
export const checkClaims: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.claim!);
  const violations: string[] = [];
  // Per key: the tokens its acknowledged acquires handed out, and its acknowledged completions.
  const byKey = new Map<string, { tokens: number[]; completed: unknown[] }>();
  for (const o of ctx.history.of('claim')) {
    const k = byKey.get(o.key) ?? { tokens: [], completed: [] };
    byKey.set(o.key, k);
    if (o.state !== 'acked') continue;
    if (o.op === 'acquire') {
      const r = o.result as { status: string; token: number };
      if (r.status === 'acquired') k.tokens.push(r.token);
    } else if (o.op === 'complete') k.completed.push((o.args as { result: unknown }).result);
  }
  for (const [key, { tokens, completed }] of byKey) {
    const handed = new Set<number>();
    const dup = tokens.find((t) => handed.size === handed.add(t).size);
    if (dup !== undefined) violations.push(`claim ${key}: fencing token ${dup} was handed out twice`);
    if (completed.length > 1)
      violations.push(`claim ${key}: completed ${completed.length} times (a completed claim is terminal)`);
    const got = await h.get(key);
    if (completed.length > 0) {
      const result = completed[0];
      if (got?.state !== 'completed' || !isDeepStrictEqual(got.result, result))
        violations.push(`claim ${key}: the acknowledged completion with ${show(result)} reads back as ${show(got)}`);
    }
    const highest = tokens.reduce((m, t) => Math.max(m, t), -Infinity);
    if (got && tokens.length > 0 && got.token < highest)
      violations.push(`claim ${key}: its token ${got.token} is behind the acknowledged ${highest}`);
  }
  await ctx.waitForLeases();
  // A key still held by someone after every lease of the dead ended is tried again while other keys
  // still come free; it is a violation once nothing has come free for the stall limit (progress-watch.ts).
  let pending = [...byKey.keys()];
  const verdict = await untilDoneOrStalled(progressWatch(stallLimitMs(ctx)), async () => {
    const still: string[] = [];
    for (const key of pending) {
      const before = await h.get(key);
      const r = await h.acquire(key, { owner: 'harness' });
      if (before?.state === 'completed') {
        if (r.status !== 'completed' || !isDeepStrictEqual(r.result, before.result))
          violations.push(`claim ${key}: a completed claim answered ${show(r)} to a new acquire`);
      } else if (before?.state !== 'abandoned' && r.status !== 'acquired') still.push(key);
    }
    const progressed = still.length < pending.length;
    pending = still;
    return { done: still.length === 0, progressed };
  });
  if (verdict === 'stalled')
    for (const key of pending) {
      const got = await h.get(key);
      violations.push(
        `claim ${key}: after every lease ended it is still ${show(got)}, and no claim came free for ${(stallLimitMs(ctx) / 1000).toFixed(1)} s; the claims of a dead holder must be taken over`,
      );
    }
  return violations;
};
