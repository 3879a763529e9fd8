import { isDeepStrictEqual } from 'node:util';
import { show } from '../../models/model-mismatch.js';
import { foldCounts, PROJECTED_STREAM, SOURCE_STREAM } from '../../models/projection-fold-model.js';
import { crashProjectors } from '../crash-projection.js';
import type { CheckContext, CrashCheck } from './check-context.js';
import { checkAppends, readWholeStream, type ReadEntry } from './check-logs.js';

/** A projector of the harness's own, as the check drives it. */
interface CheckedProjector {
  lag(): Promise<{ cursor: number; head: number }>;
  catchUp(): Promise<{ cursor: number }>;
}

/**
 * What both projection checks share: the source kept its append promises, no acknowledged catch-up
 * is ahead of the committed cursor (progress never goes back across a crash), the projection equals
 * the fold of the source up to the committed cursor as the kills left it (PRJ-003, PRJ-004), and a
 * catch-up after the kills takes it to the source's head, equal to the fold of the whole source.
 */
async function checkProjection(
  ctx: CheckContext,
  kind: 'record' | 'log',
  projector: CheckedProjector,
  judge: (source: readonly ReadEntry[], cursor: number) => Promise<string[]>,
): Promise<string[]> {
  const sourceHandle = ctx.rt.use(ctx.surfaces.source!);
  const violations = await checkAppends(sourceHandle, ctx.history.of('log', 'append'), 'source log');
  const source = await readWholeStream(sourceHandle, SOURCE_STREAM);
  const { cursor } = await projector.lag();
  let floor = 0;
  for (const o of ctx.history.of(kind, 'catch-up'))
    if (o.state === 'acked') floor = Math.max(floor, (o.result as { cursor: number }).cursor);
  if (cursor < floor)
    violations.push(
      `${kind} projection: the committed cursor is ${cursor}, behind an acknowledged catch-up that reached ${floor}`,
    );
  if (cursor > source.length)
    violations.push(
      `${kind} projection: the committed cursor ${cursor} is past the source's last entry ${source.length}`,
    );
  violations.push(...(await judge(source, cursor)).map((v) => `${v} (after the kills, cursor ${cursor})`));
  const after = await projector.catchUp();
  if (after.cursor !== source.length)
    violations.push(
      `${kind} projection: a catch-up after the kills ended at ${after.cursor}, not at the source's head ${source.length}`,
    );
  violations.push(...(await judge(source, after.cursor)).map((v) => `${v} (after a catch-up to ${after.cursor})`));
  return violations;
}

/**
 * The record projection holds, per key, the count and the sum of the sequences of the source
 * entries up to the cursor that map to it: an entry applied twice (its writes committed apart from
 * the cursor) or skipped shows in both; no other key exists.
 */
export const checkRecordProjection: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.record!);
  const projector = crashProjectors(ctx.rt, ctx.surfaces, 50).record!;
  return checkProjection(ctx, 'record', projector, async (source, cursor) => {
    const want = foldCounts(source.filter((e) => e.seq <= cursor).map((e) => e.seq));
    const violations: string[] = [];
    const seen = new Set<string>();
    for (let page: string | null = null, n = 0; n < 100; n++) {
      const r: { items: Array<{ key: string; value: unknown }>; cursor: string | null } = await h.list({
        prefix: '',
        limit: 500,
        cursor: page,
      });
      for (const item of r.items) {
        seen.add(item.key);
        if (!isDeepStrictEqual(item.value, want.get(item.key) ?? null))
          violations.push(
            `record projection ${item.key}: holds ${show(item.value)}, the fold of the source gives ${show(want.get(item.key) ?? null)}`,
          );
      }
      page = r.cursor;
      if (page === null) break;
    }
    for (const [key, value] of want)
      if (!seen.has(key))
        violations.push(`record projection ${key}: missing, the fold of the source gives ${show(value)}`);
    return violations;
  });
};

/**
 * The log projection holds one entry per source entry up to the cursor, naming its sequence, in
 * source order: an entry applied twice, skipped or out of order shows.
 */
export const checkLogProjection: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.log!);
  const projector = crashProjectors(ctx.rt, ctx.surfaces, 50).log!;
  return checkProjection(ctx, 'log', projector, async (_source, cursor) => {
    const got = (await readWholeStream(h, PROJECTED_STREAM)).map((e) => (e.value as { seq: number }).seq);
    const firstWrong = got.findIndex((seq, i) => seq !== i + 1);
    if (firstWrong >= 0)
      return [
        `log projection: entry ${firstWrong + 1} names source entry ${got[firstWrong]}, not ${firstWrong + 1} (${got.length} entries: ${show(got.slice(Math.max(0, firstWrong - 3), firstWrong + 4))} around it)`,
      ];
    if (got.length !== cursor)
      return [`log projection: holds ${got.length} entries, the source up to the cursor has ${cursor}`];
    return [];
  });
};
