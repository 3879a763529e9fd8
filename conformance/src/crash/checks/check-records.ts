import { isDeepStrictEqual } from 'node:util';
import { show } from '../../models/model-mismatch.js';
import type { CrashOp } from '../crash-history.js';
import type { CrashCheck } from './check-context.js';

/**
 * Every acknowledged record write survives: a key holds the effect of its last acknowledged
 * operation, or of an operation invoked after it that the kill cut off; nothing holds a value that
 * was never written; acknowledged versions of a key strictly increase across every crash.
 */
export const checkRecords: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.record!);
  const violations: string[] = [];
  const byKey = new Map<string, CrashOp[]>();
  for (const op of ctx.history.of('record')) {
    const list = byKey.get(op.key);
    if (list) list.push(op);
    else byKey.set(op.key, [op]);
  }
  for (const [key, ops] of byKey) {
    let lastAcked = ops.length - 1;
    while (lastAcked >= 0 && (ops[lastAcked] as CrashOp).state !== 'acked') lastAcked--;
    const allowed = [lastAcked >= 0 ? (ops[lastAcked] as CrashOp) : null, ...ops.slice(lastAcked + 1)];
    const got = await h.get(key);
    const explains = (o: CrashOp | null) =>
      o === null || o.op === 'delete' ? got === null : got !== null && isDeepStrictEqual(got.value, o.args);
    if (!allowed.some(explains)) {
      const want = lastAcked >= 0 ? `${ops[lastAcked]?.op} ${show(ops[lastAcked]?.args)}` : 'nothing';
      violations.push(
        `record ${key}: holds ${show(got?.value ?? null)}, but the last acknowledged write left ${want}${allowed.length > 1 ? ` (or one of ${allowed.length - 1} writes cut off by a kill)` : ''}`,
      );
    }
    const last = ops[lastAcked];
    if (
      got &&
      last?.op === 'put' &&
      isDeepStrictEqual(got.value, last.args) &&
      got.version !== (last.result as { version: number }).version
    ) {
      violations.push(
        `record ${key}: the acknowledged write has version ${(last.result as { version: number }).version}, the stored one ${got.version}`,
      );
    }
    let highest = 0;
    for (const o of ops) {
      if (o.state !== 'acked' || o.op !== 'put') continue;
      const v = (o.result as { version: number }).version;
      if (v <= highest)
        violations.push(
          `record ${key}: version ${v} acknowledged (${o.id}) after version ${highest}: versions reused or going back across a crash`,
        );
      highest = Math.max(highest, v);
    }
  }
  // Nothing present that was never written.
  const written = new Set([...byKey.keys()]);
  for (let cursor: string | null = null, page = 0; page < 1000; page++) {
    const r: { items: Array<{ key: string }>; cursor: string | null } = await h.list({
      prefix: '',
      limit: 500,
      cursor,
    });
    for (const item of r.items)
      if (!written.has(item.key)) violations.push(`record ${item.key} exists but no worker ever wrote it`);
    cursor = r.cursor;
    if (cursor === null) break;
  }
  return violations;
};
