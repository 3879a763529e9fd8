import { isDeepStrictEqual } from 'node:util';
import type { LogHandle } from '@stateproof/core';
import { show } from '../../models/model-mismatch.js';
import type { CrashOp } from '../crash-history.js';
import type { CrashCheck } from './check-context.js';

/** An entry of a stream as read back after the run. */
export interface ReadEntry {
  readonly seq: number;
  readonly value: unknown;
}

/** Every entry of `stream`, in order, a page at a time. */
export async function readWholeStream(h: LogHandle<unknown>, stream: string): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  for (let after = 0; ;) {
    const page = await h.read(stream, { after, limit: 1000 });
    entries.push(...page.map((e) => ({ seq: e.seq, value: e.value })));
    if (page.length < 1000) return entries;
    after = page.at(-1)!.seq;
  }
}

/**
 * The append promises of the log behind `h`, judged against the `appends` the workers reported:
 * every acknowledged entry is present with its sequence; streams are gap-free; a batch cut off by a
 * kill is there whole or not at all; no entry that was never appended; sequences never reused
 * across crashes. `label` names the log in the violations.
 */
export async function checkAppends(
  h: LogHandle<unknown>,
  appends: readonly CrashOp[],
  label: string,
): Promise<string[]> {
  const violations: string[] = [];
  for (const stream of new Set(appends.map((o) => o.key))) {
    const entries = await readWholeStream(h, stream);
    entries.forEach((e, i) => {
      if (e.seq !== i + 1) violations.push(`${label} ${stream}: entry ${i + 1} has sequence ${e.seq}: a gap`);
    });
    const bySeq = new Map(entries.map((e) => [e.seq, e.value]));
    // Values are unique per append ({worker, incarnation, n, j}), so their JSON identifies them.
    const present = new Set(entries.map((e) => JSON.stringify(e.value)));
    const invoked = new Set<string>();
    const seen = new Set<number>();
    for (const o of appends.filter((x) => x.key === stream)) {
      const values = o.args as unknown[];
      for (const v of values) invoked.add(JSON.stringify(v));
      if (o.state === 'acked') {
        (o.result as number[]).forEach((seq, j) => {
          if (seen.has(seq))
            violations.push(`${label} ${stream}: sequence ${seq} acknowledged twice (reused across a crash)`);
          seen.add(seq);
          if (!isDeepStrictEqual(bySeq.get(seq), values[j]))
            violations.push(
              `${label} ${stream}: acknowledged entry ${seq} ${show(values[j])} reads ${show(bySeq.get(seq) ?? null)}`,
            );
        });
      } else {
        const found = values.filter((v) => present.has(JSON.stringify(v))).length;
        if (found !== 0 && found !== values.length)
          violations.push(
            `${label} ${stream}: a batch of ${values.length} cut off by a kill left ${found} of its entries (a batch is all or nothing)`,
          );
      }
    }
    for (const e of entries)
      if (!invoked.has(JSON.stringify(e.value)))
        violations.push(`${label} ${stream}: entry ${e.seq} ${show(e.value)} was never appended`);
  }
  return violations;
}

/**
 * Every acknowledged entry is present with its sequence; streams are gap-free; a batch cut off by a
 * kill is there whole or not at all; no entry that was never appended; sequences never reused across
 * crashes; committed cursors never behind their last acknowledged commit.
 */
export const checkLogs: CrashCheck = async (ctx) => {
  const h = ctx.rt.use(ctx.surfaces.log!);
  const violations = await checkAppends(h, ctx.history.of('log', 'append'), 'log');
  const commits = ctx.history.of('log', 'commit');
  for (const stream of new Set(commits.map((o) => o.key))) {
    const consumer = (commits.find((o) => o.key === stream)?.args as { consumer: string }).consumer;
    const acked = commits
      .filter((o) => o.key === stream && o.state === 'acked')
      .map((o) => (o.args as { seq: number }).seq);
    const floor = acked.at(-1) ?? 0;
    const cursor = await h.getCursor(stream, consumer);
    if (cursor < floor)
      violations.push(
        `log ${stream}: the cursor of ${consumer} is ${cursor}, behind its last acknowledged commit ${floor}`,
      );
  }
  return violations;
};
