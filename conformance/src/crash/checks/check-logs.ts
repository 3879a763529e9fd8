import { isDeepStrictEqual } from 'node:util';
import type { LogHandle } from '@stateproof/core';
import { show } from '../../models/model-mismatch.js';
import { appendedValues, appendSize } from '../append-batch.js';
import type { CrashOp } from '../crash-history.js';
import type { CrashCheck } from './check-context.js';

/** An entry of a stream as read back after the run. */
export interface ReadEntry {
  readonly seq: number;
  readonly value: unknown;
}

/** Calls `each` with every entry of `stream`, in order, read a page at a time (never the whole stream at once). */
export async function forEachEntry(
  h: LogHandle<unknown>,
  stream: string,
  each: (entry: ReadEntry) => void,
): Promise<void> {
  for (let after = 0; ;) {
    const page = await h.read(stream, { after, limit: 1000 });
    for (const e of page) each({ seq: e.seq, value: e.value });
    if (page.length < 1000) return;
    after = page.at(-1)!.seq;
  }
}

/** Every entry of `stream`, in order, a page at a time. */
export async function readWholeStream(h: LogHandle<unknown>, stream: string): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  await forEachEntry(h, stream, (e) => entries.push(e));
  return entries;
}

/** Violations of one kind in one stream printed in full; past them, a count (a gap early on misplaces every later entry). */
const SHOWN_PER_STREAM = 20;

/**
 * The append promises of the log behind `h`, judged against the `appends` the workers reported:
 * every acknowledged entry is present with its sequence; streams are gap-free; a batch cut off by a
 * kill is there whole or not at all; no entry that was never appended; sequences never reused
 * across crashes. `label` names the log in the violations.
 *
 * Linear in the entries and holds none of them: each stream is read a page at a time against the
 * acknowledged sequences (two integer arrays indexed by sequence) and the values of the appends cut
 * off by a kill (the only ones looked up by value).
 */
export async function checkAppends(
  h: LogHandle<unknown>,
  appends: readonly CrashOp[],
  label: string,
): Promise<string[]> {
  const byStream = new Map<string, CrashOp[]>();
  for (const o of appends) {
    const list = byStream.get(o.key);
    if (list) list.push(o);
    else byStream.set(o.key, [o]);
  }
  const violations: string[] = [];
  for (const [stream, ops] of byStream) violations.push(...(await checkStream(h, stream, ops, `${label} ${stream}`)));
  return violations;
}

/** The kinds of append violations, in the order they are listed: lost acknowledged entries first. */
const ORDER = [
  'acknowledged entries read otherwise',
  'acknowledged entries missing',
  'sequences acknowledged twice',
  'gaps',
  'batches cut in part',
  'entries never appended',
] as const;
type Violation = (typeof ORDER)[number];

async function checkStream(
  h: LogHandle<unknown>,
  stream: string,
  ops: readonly CrashOp[],
  label: string,
): Promise<string[]> {
  // Per kind of violation, the first SHOWN_PER_STREAM and how many; listed in the order of ORDER.
  const byKind = new Map<Violation, { shown: string[]; n: number }>();
  const report = (what: Violation, v: string) => {
    const f = byKind.get(what) ?? { shown: [], n: 0 };
    byKind.set(what, f);
    if (++f.n <= SHOWN_PER_STREAM) f.shown.push(v);
  };
  // The values of an append, decoded once for the few appends in reach (a batch's entries are adjacent).
  const cache = new Map<number, unknown[]>();
  const valuesOf = (k: number): unknown[] => {
    let values = cache.get(k);
    if (!values) {
      if (cache.size >= 64) cache.clear();
      values = appendedValues((ops[k] as CrashOp).args);
      cache.set(k, values);
    }
    return values;
  };
  // Where each acknowledged entry must be: the append (index + 1) and the position in it, per sequence.
  const invoked = ops.reduce((n, o) => n + appendSize(o.args), 0);
  const opAt = new Int32Array(invoked + 2);
  const jAt = new Int32Array(invoked + 2);
  const far = new Map<number, [number, number]>(); // acknowledged sequences past every entry appended
  const expected = (seq: number): [number, number] | undefined =>
    seq >= 1 && seq < opAt.length
      ? opAt[seq]
        ? [(opAt[seq] as number) - 1, jAt[seq] as number]
        : undefined
      : far.get(seq);
  // The values of the appends that were not acknowledged (cut off by a kill, or failed), and which of them are present.
  const unacked = new Map<string, [number, number]>();
  const found = new Map<number, Set<number>>();
  // The earlier acknowledgements of a sequence acknowledged twice: each must read back too.
  const shadowed = new Map<number, Array<[number, number]>>();
  ops.forEach((o, k) => {
    if (o.state !== 'acked') {
      valuesOf(k).forEach((v, j) => unacked.set(JSON.stringify(v), [k, j]));
      found.set(k, new Set());
      return;
    }
    (o.result as number[]).forEach((seq, j) => {
      const before = expected(seq);
      if (before !== undefined) {
        report('sequences acknowledged twice', `${label}: sequence ${seq} acknowledged twice (reused across a crash)`);
        shadowed.set(seq, [...(shadowed.get(seq) ?? []), before]);
      }
      if (Number.isSafeInteger(seq) && seq >= 1 && seq < opAt.length) {
        opAt[seq] = k + 1;
        jAt[seq] = j;
      } else far.set(seq, [k, j]);
    });
  });
  let count = 0;
  await forEachEntry(h, stream, (e) => {
    count++;
    if (e.seq !== count) report('gaps', `${label}: entry ${count} has sequence ${e.seq}: a gap`);
    const at = expected(e.seq);
    for (const [k, j] of shadowed.get(e.seq) ?? []) {
      const want = valuesOf(k)[j];
      if (!isDeepStrictEqual(e.value, want))
        report(
          'acknowledged entries read otherwise',
          `${label}: acknowledged entry ${e.seq} ${show(want)} reads ${show(e.value)}`,
        );
    }
    if (at) {
      const want = valuesOf(at[0])[at[1]];
      if (isDeepStrictEqual(e.value, want)) return;
      report(
        'acknowledged entries read otherwise',
        `${label}: acknowledged entry ${e.seq} ${show(want)} reads ${show(e.value)}`,
      );
    }
    const cut = unacked.get(JSON.stringify(e.value));
    if (cut) found.get(cut[0])?.add(cut[1]);
    else if (!at)
      report(
        'entries never appended',
        `${label}: entry ${e.seq} ${show(e.value)} was never appended (neither the acknowledged entry of its sequence nor one of a batch cut off by a kill)`,
      );
  });
  // Acknowledged sequences the stream does not reach.
  for (let seq = count + 1; seq < opAt.length; seq++)
    if (opAt[seq])
      report(
        'acknowledged entries missing',
        `${label}: acknowledged entry ${seq} ${show(valuesOf((opAt[seq] as number) - 1)[jAt[seq] as number])} reads null`,
      );
  for (const [seq, [k, j]] of [...far, ...[...shadowed].flatMap(([seq, all]) => all.map((a) => [seq, a] as const))])
    if (!(seq >= 1 && seq <= count))
      report('acknowledged entries missing', `${label}: acknowledged entry ${seq} ${show(valuesOf(k)[j])} reads null`);
  for (const [k, present] of found) {
    const size = appendSize((ops[k] as CrashOp).args);
    if (present.size !== 0 && present.size !== size)
      report(
        'batches cut in part',
        `${label}: a batch of ${size} cut off by a kill left ${present.size} of its entries (a batch is all or nothing)`,
      );
  }
  const violations: string[] = [];
  for (const what of ORDER) {
    const f = byKind.get(what);
    if (!f) continue;
    violations.push(...f.shown);
    if (f.n > SHOWN_PER_STREAM) violations.push(`${label}: … ${f.n - SHOWN_PER_STREAM} more ${what}`);
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
  // Per stream, its consumer and the last acknowledged commit.
  const commits = new Map<string, { consumer: string; floor: number }>();
  for (const o of ctx.history.of('log', 'commit')) {
    const args = o.args as { consumer: string; seq: number };
    const c = commits.get(o.key) ?? { consumer: args.consumer, floor: 0 };
    commits.set(o.key, c);
    if (o.state === 'acked') c.floor = args.seq;
  }
  for (const [stream, { consumer, floor }] of commits) {
    const cursor = await h.getCursor(stream, consumer);
    if (cursor < floor)
      violations.push(
        `log ${stream}: the cursor of ${consumer} is ${cursor}, behind its last acknowledged commit ${floor}`,
      );
  }
  return violations;
};
