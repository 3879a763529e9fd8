import type { RequirementId } from '../../requirements/requirement-ids.js';
import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel, type StepResult } from '../sequential-model.js';
import { defaultEqual, stringHash } from '../state-identity.js';

/** A call on a log surface without retention: an append (one value, or a batch), a read or an info. */
export type LogCall =
  | {
      /** Append. */
      readonly op: 'append';
      /** The stream. */
      readonly stream: string;
      /** The values appended. */
      readonly values: readonly unknown[];
      /** Whether they went as one batch. */
      readonly batch: boolean;
    }
  | {
      /** Read. */
      readonly op: 'read';
      /** The stream. */
      readonly stream: string;
      /** Entries after this sequence. */
      readonly after: number;
      /** At most this many. */
      readonly limit: number;
    }
  | {
      /** Info: the first and last sequence. */
      readonly op: 'info';
      /** The stream. */
      readonly stream: string;
    };

/** What a log call answered. `error` is any other stateproof error code (always a violation here). */
export type LogAnswer =
  | {
      /** An append took effect. */
      readonly kind: 'appended';
      /** The sequences assigned. */
      readonly seqs: readonly number[];
    }
  | {
      /** What a read returned. */
      readonly kind: 'entries';
      /** The entries, ascending. */
      readonly entries: readonly {
        /** The entry's sequence. */
        readonly seq: number;
        /** Its value. */
        readonly value: unknown;
      }[];
    }
  | {
      /** What info answered. */
      readonly kind: 'info';
      /** The oldest retained sequence; null when none. */
      readonly first: number | null;
      /** The last sequence assigned; 0 when none. */
      readonly last: number;
    }
  | {
      /** Any stateproof error. */
      readonly kind: 'error';
      /** Its code. */
      readonly code: string;
    };

/** One stream: the value of each entry, entry `seq` at index `seq - 1` (nothing is trimmed during a history). */
export type LogStreamState = readonly unknown[];

type Step = StepResult<LogStreamState>;
const bad = (why: string, ...violates: RequirementId[]): Step => ({ ok: false, why, violates });
const show = (v: unknown) => JSON.stringify(v);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const showSeqs = (seqs: readonly number[]) => (seqs.length === 0 ? '[]' : `[${seqs.join(', ')}]`);

/** Which rules a wrong set of sequences breaks, given the entries the stream already holds. */
function sequenceRules(s: LogStreamState, c: { values: readonly unknown[]; batch: boolean }, seqs: readonly number[]) {
  const rules = new Set<RequirementId>();
  if (seqs.length !== c.values.length || seqs.some((q, i) => i > 0 && q !== seqs[i - 1]! + 1)) rules.add('LOG-004');
  if (seqs.some((q) => q <= s.length)) rules.add('LOG-003');
  if (seqs[0] !== s.length + 1) rules.add('LOG-002');
  if (s.length === 0 && seqs[0] !== 1) rules.add('LOG-001');
  if (!c.batch || c.values.length === 1) rules.delete('LOG-004');
  return [...rules];
}

function append(s: LogStreamState, c: Extract<LogCall, { op: 'append' }>, a: LogAnswer | Unknown): Step {
  const grown = c.values.length === 0 ? s : [...s, ...c.values];
  // A call that never returned appended its values as one run (appends are atomic), or nothing.
  if (a === UNKNOWN) return grown === s ? { ok: true, next: s } : { ok: true, next: grown, others: [s] };
  const what = c.batch ? `appendBatch of ${c.values.length}` : 'append';
  if (a.kind !== 'appended') return bad(`${what} answered ${show(a)}`, c.batch ? 'LOG-004' : 'LOG-001');
  const expected = range(s.length + 1, c.values.length);
  if (a.seqs.length === expected.length && a.seqs.every((q, i) => q === expected[i])) return { ok: true, next: grown };
  return {
    ok: false,
    why: `${what} got ${showSeqs(a.seqs)}, but the stream holds ${s.length} entries, so it must get ${showSeqs(expected)}`,
    violates: sequenceRules(s, c, a.seqs),
  };
}

function read(s: LogStreamState, c: Extract<LogCall, { op: 'read' }>, a: LogAnswer | Unknown): Step {
  if (a === UNKNOWN) return { ok: true, next: s };
  const rule: RequirementId = c.after >= s.length ? 'LOG-006' : 'LOG-005';
  if (a.kind !== 'entries') return bad(`read after ${c.after} answered ${show(a)}`, rule);
  const expected = s.slice(c.after, c.after + c.limit).map((value, i) => ({ seq: c.after + 1 + i, value }));
  if (
    a.entries.length === expected.length &&
    a.entries.every((e, i) => e.seq === expected[i]!.seq && defaultEqual(e.value, expected[i]!.value))
  )
    return { ok: true, next: s };
  const listed = (es: readonly { seq: number; value: unknown }[]) =>
    es.length === 0 ? 'nothing' : es.map((e) => `${e.seq} ${show(e.value)}`).join(', ');
  return bad(
    `read after ${c.after} (limit ${c.limit}) returned ${listed(a.entries)}, but the stream holds ${listed(expected)} there`,
    rule,
  );
}

function info(s: LogStreamState, a: LogAnswer | Unknown): Step {
  if (a === UNKNOWN) return { ok: true, next: s };
  const first = s.length === 0 ? null : 1;
  if (a.kind === 'info' && a.first === first && a.last === s.length) return { ok: true, next: s };
  return bad(`info answered ${show(a)}, but the stream holds entries 1 to ${s.length}`, 'LOG-007');
}

/**
 * The sequential specification of one log stream under concurrent writers (spec/contract/log.md,
 * LOG-001 to LOG-007, without retention): the backend numbers entries 1, 2, 3, … in append order,
 * each append gets the next sequence and a batch the next run of consecutive ones (no other writer's
 * entry in between), and a read after a sequence returns exactly the entries appended after it, in
 * order, up to its limit. Partitioned per stream: streams are independent.
 */
export const logStreamModel: SequentialModel<LogStreamState, LogCall, LogAnswer> = {
  init: () => [],
  step(state, call, answer) {
    switch (call.op) {
      case 'append':
        return append(state, call, answer);
      case 'read':
        return read(state, call, answer);
      case 'info':
        return info(state, answer);
    }
  },
  hash: (s) => stringHash(show(s)),
  equal: (a, b) => a === b || (a.length === b.length && a.every((v, i) => defaultEqual(v, b[i]))),
  partition: partitionBy((op) => op.input.stream),
  describeOperation(call, answer) {
    const what =
      call.op === 'append'
        ? `${call.batch ? 'appendBatch' : 'append'}(${show(call.stream)}, ${show(call.batch ? call.values : call.values[0])})`
        : call.op === 'read'
          ? `read(${show(call.stream)}, after ${call.after}, limit ${call.limit})`
          : `info(${show(call.stream)})`;
    if (answer === UNKNOWN) return `${what} -> ? (never returned)`;
    const out =
      answer.kind === 'appended'
        ? showSeqs(answer.seqs)
        : answer.kind === 'entries'
          ? `[${answer.entries.map((e) => `${e.seq} ${show(e.value)}`).join(', ')}]`
          : answer.kind === 'info'
            ? `first ${answer.first ?? 'null'}, last ${answer.last}`
            : `error ${answer.code}`;
    return `${what} -> ${out}`;
  },
  describeState: (s) =>
    s.length === 0 ? 'empty' : `${s.length} entries: ${s.map((v, i) => `${i + 1} ${show(v)}`).join(', ')}`,
};
