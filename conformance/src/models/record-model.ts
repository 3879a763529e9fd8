import { isDeepStrictEqual } from 'node:util';
import { expectModel, show } from './model-mismatch.js';
import { describeOutcome, type Outcome } from './outcome.js';
import { utf8Compare } from './utf8-order.js';

interface Entry {
  readonly value: unknown;
  readonly version: number;
  readonly expiresAt: number | null;
}

/** A record as the handle returns it. */
export interface ObservedRecord {
  /** The key. */
  readonly key: string;
  /** The value. */
  readonly value: unknown;
  /** Its version. */
  readonly version: number;
  /** When it expires (epoch ms), or null. */
  readonly expiresAt: number | null;
}

/**
 * Reference model of a record surface (spec/contract/record.md), written independently of any
 * adapter. Versions are the backend's to choose; the model learns each one and checks that it is a
 * positive integer greater than every version the key ever had (also across deletes). Time is exact:
 * a record is live while now < expiresAt.
 */
export class RecordModel {
  private readonly live = new Map<string, Entry>();
  private readonly highest = new Map<string, number>();
  /** Keys whose record expired (until written again), to blame TTL rather than listing when one shows up. */
  private readonly expired = new Set<string>();

  /** A model whose time is `now`, with the surface's default TTL when it has one. */
  constructor(
    private readonly now: () => number,
    private readonly defaultTtlMs?: number,
  ) {}

  private current(key: string): Entry | undefined {
    const e = this.live.get(key);
    if (e && e.expiresAt !== null && this.now() >= e.expiresAt) {
      this.live.delete(key);
      this.expired.add(key);
      return undefined;
    }
    return e;
  }

  /** Keys the model holds live under `prefix`, in UTF-8 order. */
  liveKeys(prefix = ''): string[] {
    return [...this.live.keys()].filter((k) => k.startsWith(prefix) && this.current(k)).sort(utf8Compare);
  }

  /** Whether `key` is live now. */
  has(key: string): boolean {
    return this.current(key) !== undefined;
  }

  /** The live version of `key`, or null. */
  versionOf(key: string): number | null {
    return this.current(key)?.version ?? null;
  }

  /** The highest version `key` ever had (0 when none). */
  highestVersion(key: string): number {
    return this.highest.get(key) ?? 0;
  }

  /** Checks what a get of `key` returned against the model; throws a ModelMismatch when it is wrong. */
  checkGet(key: string, observed: Outcome<ObservedRecord | null>): void {
    const want = this.current(key);
    expectModel(observed.ok, ['REC-001'], () => `get(${show(key)}) failed with ${describeOutcome(observed)}`);
    const got = observed.value;
    if (!want) {
      expectModel(
        got === null,
        this.expired.has(key) ? ['REC-018'] : ['REC-001', 'REC-011'],
        () => `get(${show(key)}) returned ${show(got)} but no live record exists`,
      );
      return;
    }
    expectModel(
      got !== null,
      ['REC-001', 'REC-018'],
      () => `get(${show(key)}) returned null but version ${want.version} is live`,
    );
    expectModel(
      got.key === key && got.version === want.version && isDeepStrictEqual(got.value, want.value),
      ['REC-001', 'REC-002'],
      () => `get(${show(key)}) returned ${show(got)}, expected version ${want.version} with ${show(want.value)}`,
    );
    expectModel(
      got.expiresAt === want.expiresAt,
      ['REC-019'],
      () => `get(${show(key)}) reports expiresAt ${got.expiresAt}, expected ${want.expiresAt}`,
    );
  }

  /** Checks what a put returned against the model, and applies it when it took effect. */
  checkPut(
    key: string,
    value: unknown,
    options: { ifVersion?: number; ifAbsent?: boolean; ttlMs?: number },
    observed: Outcome<{ version: number; expiresAt: number | null }>,
  ): void {
    const cur = this.current(key);
    const conflict =
      (options.ifAbsent === true && cur !== undefined) ||
      (options.ifVersion !== undefined && cur?.version !== options.ifVersion);
    const which = options.ifAbsent ? 'REC-007' : 'REC-006';
    if (conflict) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_VERSION_CONFLICT',
        [which],
        () =>
          `put(${show(key)}, ${show(options)}) should conflict (current ${cur?.version ?? 'absent'}), got ${describeOutcome(observed)}`,
      );
      const current = (observed.error as { current?: unknown }).current;
      expectModel(
        current === (cur?.version ?? null),
        ['REC-008'],
        () => `the conflict carries current ${show(current)}, expected ${cur?.version ?? null}`,
      );
      return;
    }
    expectModel(
      observed.ok,
      [options.ifAbsent || options.ifVersion !== undefined ? which : 'REC-009'],
      () =>
        `put(${show(key)}, ${show(options)}) should succeed (current ${cur?.version ?? 'absent'}), got ${describeOutcome(observed)}`,
    );
    const { version, expiresAt } = observed.value;
    const floor = this.highestVersion(key);
    expectModel(
      Number.isSafeInteger(version) && version > floor,
      ['REC-003', 'REC-004', 'REC-005'],
      () =>
        `put(${show(key)}) returned version ${version}; it must be an integer above ${floor}, the highest the key ever had`,
    );
    const ttl = options.ttlMs ?? this.defaultTtlMs;
    const wantExpiry = ttl === undefined ? null : this.now() + ttl;
    expectModel(
      expiresAt === wantExpiry,
      [options.ttlMs === undefined && this.defaultTtlMs !== undefined ? 'REC-020' : 'REC-019'],
      () => `put(${show(key)}) reports expiresAt ${expiresAt}, expected ${wantExpiry}`,
    );
    this.live.set(key, { value, version, expiresAt: wantExpiry });
    this.expired.delete(key);
    this.highest.set(key, version);
  }

  /** Checks what a delete returned against the model, and applies it when it took effect. */
  checkDelete(key: string, options: { ifVersion?: number }, observed: Outcome<boolean>): void {
    const cur = this.current(key);
    if (options.ifVersion !== undefined && cur?.version !== options.ifVersion) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_VERSION_CONFLICT',
        ['REC-012'],
        () =>
          `delete(${show(key)}, ifVersion ${options.ifVersion}) should conflict (current ${cur?.version ?? 'absent'}), got ${describeOutcome(observed)}`,
      );
      const current = (observed.error as { current?: unknown }).current;
      expectModel(
        current === (cur?.version ?? null),
        ['REC-008'],
        () => `the conflict carries current ${show(current)}, expected ${cur?.version ?? null}`,
      );
      return;
    }
    expectModel(
      observed.ok && observed.value === (cur !== undefined),
      ['REC-011'],
      () => `delete(${show(key)}) returned ${describeOutcome(observed)}, expected ${cur !== undefined}`,
    );
    this.live.delete(key);
  }

  /** Checks a full paged walk of `prefix` against the live keys. */
  checkWalk(prefix: string, observedKeys: readonly string[], observed: readonly ObservedRecord[]): void {
    const want = this.liveKeys(prefix);
    const zombies = observedKeys.filter((k) => this.expired.has(k));
    expectModel(
      zombies.length === 0,
      ['REC-018'],
      () => `listing prefix ${show(prefix)} returned expired records ${show(zombies)}`,
    );
    expectModel(
      isDeepStrictEqual([...observedKeys], want),
      ['REC-013', 'REC-014'],
      () => `listing prefix ${show(prefix)} gave ${show(observedKeys)}, expected ${show(want)}`,
    );
    for (const r of observed) {
      const e = this.current(r.key);
      expectModel(
        e !== undefined && e.version === r.version && isDeepStrictEqual(e.value, r.value),
        ['REC-013'],
        () => `listing returned ${show(r)}, which is not the live record`,
      );
    }
  }
}
