import { isDeepStrictEqual } from 'node:util';
import { show } from '../../models/model-mismatch.js';
import type { CrashCheck } from './check-context.js';

/**
 * Acknowledged completions stay completed with their result; fencing tokens are never handed out
 * twice for a key; once the leases of the dead end, every claim that is not terminal can be taken.
 */
export const checkClaims: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.claim!);
  const violations: string[] = [];
  const ops = ctx.history.of('claim');
  for (const key of new Set(ops.map((o) => o.key))) {
    const tokens = ops
      .filter(
        (o) =>
          o.key === key &&
          o.op === 'acquire' &&
          o.state === 'acked' &&
          (o.result as { status: string }).status === 'acquired',
      )
      .map((o) => (o.result as { token: number }).token);
    const dup = tokens.find((t, i) => tokens.indexOf(t) !== i);
    if (dup !== undefined) violations.push(`claim ${key}: fencing token ${dup} was handed out twice`);
    const completed = ops.filter((o) => o.key === key && o.op === 'complete' && o.state === 'acked');
    if (completed.length > 1)
      violations.push(`claim ${key}: completed ${completed.length} times (a completed claim is terminal)`);
    const got = await h.get(key);
    const done = completed[0];
    if (done) {
      const result = (done.args as { result: unknown }).result;
      if (got?.state !== 'completed' || !isDeepStrictEqual(got.result, result))
        violations.push(`claim ${key}: the acknowledged completion with ${show(result)} reads back as ${show(got)}`);
    }
    if (got && tokens.length > 0 && got.token < Math.max(...tokens))
      violations.push(`claim ${key}: its token ${got.token} is behind the acknowledged ${Math.max(...tokens)}`);
  }
  await ctx.waitForLeases();
  for (const key of new Set(ops.map((o) => o.key))) {
    const before = await h.get(key);
    const r = await h.acquire(key, { owner: 'harness' });
    if (before?.state === 'completed') {
      if (r.status !== 'completed' || !isDeepStrictEqual(r.result, before.result))
        violations.push(`claim ${key}: a completed claim answered ${show(r)} to a new acquire`);
    } else if (before?.state !== 'abandoned' && r.status !== 'acquired') {
      violations.push(
        `claim ${key}: after every lease ended it is still ${show(r)}; the claims of a dead holder must be taken over`,
      );
    }
  }
  return violations;
};
