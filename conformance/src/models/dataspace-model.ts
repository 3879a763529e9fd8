import { isDeepStrictEqual } from 'node:util';
import { globMatch } from './glob-match.js';
import { expectModel, show } from './model-mismatch.js';
import { describeOutcome, type Outcome } from './outcome.js';
import { utf8Compare } from './utf8-order.js';

interface Session {
  readonly id: string;
  readonly owner: string;
  expiresAt: number;
  state: 'open' | 'closed' | 'expired';
  readonly ids: Set<string>;
}

interface Held {
  readonly value: unknown;
  readonly session: string;
  readonly owner: string;
}

/** A filter as the dataspace handle takes it. */
export type Filter =
  | { type: 'all' }
  | { type: 'exact'; id: string }
  | { type: 'prefix'; prefix: string }
  | { type: 'glob'; pattern: string };

/** Whether `filter` matches `id`, by the contract's rules. */
export function filterMatches(filter: Filter, id: string): boolean {
  return filter.type === 'all'
    ? true
    : filter.type === 'exact'
      ? id === filter.id
      : filter.type === 'prefix'
        ? id.startsWith(filter.prefix)
        : globMatch(filter.pattern, id);
}

/**
 * Reference model of a dataspace surface (spec/contract/dataspace.md). Sessions and assertions as the
 * contract states them; revisions are the backend's to choose and must strictly increase. A session
 * whose lease ran out but that was not reaped yet is *dying*: reads may or may not still show its
 * assertions, and the model follows what it observes.
 */
export class DataspaceModel {
  private readonly sessions = new Map<string, Session>();
  private readonly held = new Map<string, Held>();
  private revision = 0;

  constructor(private readonly now: () => number) {}

  /** Session ids in creation order. */
  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  private dying(s: Session | undefined): boolean {
    return s !== undefined && s.state === 'open' && this.now() >= s.expiresAt;
  }

  private reap(s: Session): void {
    s.state = 'expired';
    for (const id of s.ids) this.held.delete(id);
    s.ids.clear();
  }

  private checkRevision(rev: unknown, what: string): void {
    expectModel(
      typeof rev === 'number' && rev > this.revision,
      ['DSP-011'],
      () => `${what} got revision ${show(rev)}; revisions must increase past ${this.revision}`,
    );
    this.revision = rev as number;
  }

  checkOpen(owner: string, leaseMs: number, observed: Outcome<{ id: string; expiresAt: number }>): void {
    expectModel(
      observed.ok && !this.sessions.has(observed.value.id) && observed.value.expiresAt === this.now() + leaseMs,
      ['DSP-001'],
      () =>
        `openSession(${show(owner)}) gave ${describeOutcome(observed)}, expected a new session until ${this.now() + leaseMs}`,
    );
    this.sessions.set(observed.value.id, {
      id: observed.value.id,
      owner,
      expiresAt: this.now() + leaseMs,
      state: 'open',
      ids: new Set(),
    });
  }

  /** The outcome a session-bound operation must have when the session is not live; undefined when it is. */
  private deadSession(sessionId: string, op: string, observed: Outcome<unknown>): boolean {
    const s = this.sessions.get(sessionId);
    if (!s) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_NOT_FOUND',
        ['DSP-003'],
        () => `${op} on an unknown session gave ${describeOutcome(observed)}`,
      );
      return true;
    }
    if (this.dying(s)) this.reap(s);
    if (s.state !== 'open') {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_SESSION_EXPIRED',
        ['DSP-003', ...(s.state === 'closed' ? [] : (['DSP-009'] as const))],
        () => `${op} on a ${s.state} session gave ${describeOutcome(observed)}`,
      );
      return true;
    }
    return false;
  }

  checkAssert(sessionId: string, id: string, value: unknown, observed: Outcome<{ revision: number }>): void {
    if (this.deadSession(sessionId, `assert(${show(id)})`, observed)) return;
    const s = this.sessions.get(sessionId) as Session;
    const h = this.held.get(id);
    const owner = h && h.session !== sessionId ? this.sessions.get(h.session) : undefined;
    if (owner && this.dying(owner)) this.reap(owner);
    if (owner && owner.state === 'open') {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_OWNERSHIP',
        ['DSP-005'],
        () => `assert(${show(id)}) by ${s.owner} while ${owner.owner} owns it gave ${describeOutcome(observed)}`,
      );
      return;
    }
    expectModel(
      observed.ok,
      [owner ? 'DSP-007' : 'DSP-004'],
      () => `assert(${show(id)}) by ${s.owner} failed: ${describeOutcome(observed)}`,
    );
    this.checkRevision(observed.value.revision, `assert(${show(id)})`);
    this.held.set(id, { value, session: sessionId, owner: s.owner });
    s.ids.add(id);
  }

  checkRetract(sessionId: string, id: string, observed: Outcome<{ revision: number } | null>): void {
    if (this.deadSession(sessionId, `retract(${show(id)})`, observed)) return;
    const s = this.sessions.get(sessionId) as Session;
    const h = this.held.get(id);
    const owner = h && h.session !== sessionId ? this.sessions.get(h.session) : undefined;
    if (owner && this.dying(owner)) this.reap(owner);
    if (owner && owner.state === 'open') {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_OWNERSHIP',
        ['DSP-005'],
        () => `retract(${show(id)}) by ${s.owner} while ${owner.owner} owns it gave ${describeOutcome(observed)}`,
      );
      return;
    }
    expectModel(observed.ok, ['DSP-006'], () => `retract(${show(id)}) failed: ${describeOutcome(observed)}`);
    if (!this.held.has(id)) {
      expectModel(
        observed.value === null,
        ['DSP-006'],
        () => `retract of an id nobody asserts gave ${show(observed.value)}`,
      );
      return;
    }
    this.checkRevision(observed.value?.revision, `retract(${show(id)})`);
    this.held.delete(id);
    s.ids.delete(id);
  }

  checkHeartbeat(sessionId: string, leaseMs: number, observed: Outcome<{ expiresAt: number }>): void {
    if (this.deadSession(sessionId, 'heartbeat', observed)) return;
    const s = this.sessions.get(sessionId) as Session;
    expectModel(
      observed.ok && observed.value.expiresAt === this.now() + leaseMs,
      ['DSP-002'],
      () => `heartbeat gave ${describeOutcome(observed)}, expected expiresAt ${this.now() + leaseMs}`,
    );
    s.expiresAt = this.now() + leaseMs;
  }

  checkClose(sessionId: string, observed: Outcome<{ retracted: number }>): void {
    const s = this.sessions.get(sessionId);
    if (!s) {
      expectModel(
        !observed.ok && observed.code === 'STATEPROOF_NOT_FOUND',
        ['DSP-003'],
        () => `close of an unknown session gave ${describeOutcome(observed)}`,
      );
      return;
    }
    if (this.dying(s)) this.reap(s);
    if (s.state !== 'open') {
      expectModel(
        observed.ok && observed.value.retracted === 0,
        ['DSP-008'],
        () => `closing a ${s.state} session gave ${describeOutcome(observed)}, expected nothing retracted`,
      );
      return;
    }
    const n = s.ids.size;
    expectModel(
      observed.ok && observed.value.retracted === n,
      ['DSP-008'],
      () => `close of a session owning ${n} assertions gave ${describeOutcome(observed)}`,
    );
    for (const id of s.ids) this.held.delete(id);
    s.ids.clear();
    s.state = 'closed';
  }

  checkReap(observed: Outcome<{ expired: number; retracted: number }>): void {
    const dying = [...this.sessions.values()].filter((s) => this.dying(s));
    const assertions = dying.reduce((n, s) => n + s.ids.size, 0);
    expectModel(
      observed.ok && observed.value.expired <= dying.length && observed.value.retracted <= assertions,
      ['DSP-009'],
      () =>
        `reap gave ${describeOutcome(observed)}; at most ${dying.length} sessions with ${assertions} assertions had expired`,
    );
    for (const s of dying) this.reap(s);
  }

  /** Checks one observed assertion (or its absence) under `id`. */
  private checkOne(
    id: string,
    got: { value: unknown; session: string; owner: string; revision?: unknown } | null,
    context: string,
  ): void {
    const h = this.held.get(id);
    const owner = h ? this.sessions.get(h.session) : undefined;
    if (h && owner && this.dying(owner)) {
      // Dying owner: either still there (not reaped yet) or gone (reaped). Follow the observation.
      if (got === null) this.reap(owner);
      else
        expectModel(
          isDeepStrictEqual(got.value, h.value) && got.session === h.session,
          ['DSP-012'],
          () => `${context}: ${show(got)} is not the dying owner's assertion ${show(h)}`,
        );
      return;
    }
    if (!h) {
      const was = [...this.sessions.values()].find((s) => s.state !== 'open' && got?.session === s.id);
      expectModel(
        got === null,
        [was?.state === 'closed' ? 'DSP-008' : was ? 'DSP-009' : 'DSP-012'],
        () =>
          `${context}: ${show(id)} should not be asserted, got ${show(got)}${was ? ` (its session is ${was.state})` : ''}`,
      );
      return;
    }
    expectModel(
      got !== null && isDeepStrictEqual(got.value, h.value) && got.session === h.session && got.owner === h.owner,
      ['DSP-012', 'DSP-004'],
      () => `${context}: ${show(id)} is ${show(got)}, expected ${show(h)}`,
    );
  }

  checkGet(id: string, observed: Outcome<{ value: unknown; session: string; owner: string } | null>): void {
    expectModel(observed.ok, ['DSP-012'], () => `get(${show(id)}) failed: ${describeOutcome(observed)}`);
    this.checkOne(id, observed.value, `get(${show(id)})`);
  }

  checkList(
    filter: Filter,
    observed: Outcome<{
      revision: number;
      assertions: ReadonlyArray<{ id: string; value: unknown; session: string; owner: string }>;
    }>,
  ): void {
    expectModel(observed.ok, ['DSP-012'], () => `list(${show(filter)}) failed: ${describeOutcome(observed)}`);
    const ids = observed.value.assertions.map((a) => a.id);
    const sorted = [...ids].sort(utf8Compare);
    expectModel(
      show(ids) === show(sorted) && new Set(ids).size === ids.length,
      ['DSP-012'],
      () => `list(${show(filter)}) is not in UTF-8 order without repeats: ${show(ids)}`,
    );
    const stray = ids.filter((id) => !filterMatches(filter, id));
    expectModel(
      stray.length === 0,
      ['DSP-013'],
      () => `list(${show(filter)}) returned ids the filter does not match: ${show(stray)}`,
    );
    const got = new Map(observed.value.assertions.map((a) => [a.id, a]));
    for (const id of new Set([...this.held.keys(), ...ids])) {
      if (!filterMatches(filter, id)) continue;
      this.checkOne(id, got.get(id) ?? null, `list(${show(filter)})`);
    }
    expectModel(
      observed.value.revision >= this.revision,
      ['DSP-011'],
      () => `list read at revision ${observed.value.revision}, behind the last change ${this.revision}`,
    );
  }
}
