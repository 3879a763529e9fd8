import { isDeepStrictEqual } from 'node:util';
import { expectModel, show } from './model-mismatch.js';
import { describeOutcome, type Outcome } from './outcome.js';
import type { RequirementId } from '../requirements/requirement-ids.js';

interface Entry {
  readonly seq: number;
  readonly value: unknown;
  /** The model's clock when the append returned. */
  readonly at: number;
  /** The model's clock when the append was invoked: the entry's own `at` lies between the two. */
  readonly from: number;
}

interface Stream {
  entries: Entry[];
  last: number;
}

/** Retention of the surface under test. */
export interface LogRetention {
  readonly maxEntries?: number;
  readonly maxAgeMs?: number;
}

/**
 * Reference model of a log surface (spec/contract/log.md), independent of any adapter: sequences
 * 1, 2, 3, … per stream; retention by count and by age on exact time; cursors that only move forward.
 */
export class LogModel {
  private readonly streams = new Map<string, Stream>();
  private readonly cursors = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly retention: LogRetention = {},
    /** How far an entry's `at` may be from the model's clock (a server clock's declared tolerance; 0 when time is exact). */
    private readonly atSlackMs = 0,
  ) {}

  private stream(name: string): Stream {
    let s = this.streams.get(name);
    if (!s) {
      s = { entries: [], last: 0 };
      this.streams.set(name, s);
    }
    const { maxEntries, maxAgeMs } = this.retention;
    if (maxEntries !== undefined && s.entries.length > maxEntries)
      s.entries = s.entries.slice(s.entries.length - maxEntries);
    if (maxAgeMs !== undefined) s.entries = s.entries.filter((e) => e.at > this.now() - maxAgeMs);
    return s;
  }

  /** Oldest retained sequence (null when none) and last assigned. */
  range(name: string): { first: number | null; last: number } {
    const s = this.stream(name);
    return { first: s.entries[0]?.seq ?? null, last: s.last };
  }

  /** `invokedAt`: the model's clock before the append was invoked (default: when it returned). */
  checkAppend(
    name: string,
    values: readonly unknown[],
    observed: Outcome<readonly number[]>,
    invokedAt?: number,
  ): void {
    const s = this.stream(name);
    expectModel(
      observed.ok,
      ['LOG-004'],
      () => `append of ${values.length} to ${show(name)} failed: ${describeOutcome(observed)}`,
    );
    const want = values.map((_, i) => s.last + 1 + i);
    const reqs: RequirementId[] =
      s.last === 0
        ? ['LOG-001', 'LOG-002']
        : values.length > 1
          ? ['LOG-004', 'LOG-002', 'LOG-003']
          : ['LOG-002', 'LOG-003'];
    expectModel(
      isDeepStrictEqual([...observed.value], want),
      reqs,
      () => `append to ${show(name)} returned sequences ${show(observed.value)}, expected ${show(want)}`,
    );
    const at = this.now();
    const from = Math.min(invokedAt ?? at, at);
    values.forEach((value, i) => s.entries.push({ seq: want[i] as number, value, at, from }));
    s.last += values.length;
    this.stream(name);
  }

  checkRead(
    name: string,
    after: number,
    limit: number,
    observed: Outcome<ReadonlyArray<{ seq: number; value: unknown; at: number }>>,
  ): void {
    const s = this.stream(name);
    const oldest = s.entries[0]?.seq ?? null;
    if (after < s.last && (oldest === null || after + 1 < oldest)) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_LOG_TRIMMED',
        ['LOG-010'],
        () =>
          `read(${show(name)}, after ${after}) should report trimmed entries (oldest ${oldest}, last ${s.last}), got ${describeOutcome(observed)}`,
      );
      const e = observed.error as { oldest?: unknown; last?: unknown };
      expectModel(
        e.oldest === oldest && e.last === s.last,
        ['LOG-010'],
        () =>
          `the trimmed error carries oldest ${show(e.oldest)} and last ${show(e.last)}, expected ${oldest} and ${s.last}`,
      );
      return;
    }
    const wanted = s.entries.filter((e) => e.seq > after).slice(0, limit);
    const want = wanted.map((e) => ({ seq: e.seq, value: e.value, at: e.at }));
    expectModel(
      observed.ok,
      ['LOG-005'],
      () => `read(${show(name)}, after ${after}) failed: ${describeOutcome(observed)}`,
    );
    // With a server clock `at` is the server's reading, taken while the append ran: between the
    // model's clock at its invocation and at its answer, within the tolerance.
    const within = (at: number, w: Entry | undefined) =>
      w !== undefined && at >= w.from - this.atSlackMs && at <= w.at + this.atSlackMs;
    const got = observed.value.map((e, i) => ({
      seq: e.seq,
      value: e.value,
      at: within(e.at, wanted[i]) ? (wanted[i] as Entry).at : e.at,
    }));
    const reqs: RequirementId[] =
      after >= s.last
        ? ['LOG-006']
        : this.retention.maxEntries !== undefined || this.retention.maxAgeMs !== undefined
          ? ['LOG-005', 'LOG-008', 'LOG-009']
          : ['LOG-005'];
    expectModel(isDeepStrictEqual(got, want), reqs, () => {
      const seqs = `read(${show(name)}, after ${after}, limit ${limit}) gave ${show(got.map((e) => e.seq))}`;
      if (
        !isDeepStrictEqual(
          got.map((e) => e.seq),
          want.map((e) => e.seq),
        )
      )
        return `${seqs}, expected ${show(want.map((e) => e.seq))}`;
      // The sequences agree: say which entry differs, and how.
      const i = got.findIndex((e, j) => !isDeepStrictEqual(e, want[j]));
      const [g, w] = [observed.value[i], wanted[i]] as [{ value: unknown; at: number }, Entry];
      return isDeepStrictEqual(g.value, w.value)
        ? `${seqs}: entry ${w.seq} has at ${g.at}, expected between ${w.from} and ${w.at} (tolerance ${this.atSlackMs} ms)`
        : `${seqs}: entry ${w.seq} holds ${show(g.value)}, expected ${show(w.value)}`;
    });
  }

  checkInfo(name: string, observed: Outcome<{ first: number | null; last: number }>): void {
    const want = this.range(name);
    expectModel(
      observed.ok && isDeepStrictEqual(observed.value, want),
      ['LOG-007'],
      () => `info(${show(name)}) gave ${describeOutcome(observed)}, expected ${show(want)}`,
    );
  }

  /** The committed cursor of `consumer` on `name`. */
  cursor(name: string, consumer: string): number {
    return this.cursors.get(`${name}\u0000${consumer}`) ?? 0;
  }

  checkGetCursor(name: string, consumer: string, observed: Outcome<number>): void {
    const want = this.cursor(name, consumer);
    expectModel(
      observed.ok && observed.value === want,
      [want === 0 ? 'LOG-012' : 'LOG-013'],
      () => `getCursor(${show(name)}, ${show(consumer)}) gave ${describeOutcome(observed)}, expected ${want}`,
    );
  }

  checkCommit(name: string, consumer: string, seq: number, reset: boolean, observed: Outcome<void>): void {
    const current = this.cursor(name, consumer);
    const last = this.stream(name).last;
    if (seq > last) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_INVALID_OPTIONS',
        ['LOG-014'],
        () => `commitCursor beyond the last sequence ${last} (to ${seq}) gave ${describeOutcome(observed)}`,
      );
      return;
    }
    if (seq < current && !reset) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_CURSOR_REGRESSION',
        ['LOG-013'],
        () => `commitCursor from ${current} back to ${seq} gave ${describeOutcome(observed)}`,
      );
      return;
    }
    expectModel(
      observed.ok,
      ['LOG-013'],
      () => `commitCursor(${seq}${reset ? ', reset' : ''}) from ${current} failed: ${describeOutcome(observed)}`,
    );
    this.cursors.set(`${name}\u0000${consumer}`, seq);
  }
}
