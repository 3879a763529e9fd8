import type { RequirementId } from '../../requirements/requirement-ids.js';
import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel, type StepResult } from '../sequential-model.js';
import { defaultEqual, stringHash } from '../state-identity.js';

/** A call on a record surface: get, put (plain, ifVersion or ifAbsent) or delete (plain or ifVersion). */
export type RecordCall =
  | {
      /** Read a key. */
      readonly op: 'get';
      /** The key. */
      readonly key: string;
    }
  | {
      /** Write a key. */
      readonly op: 'put';
      /** The key. */
      readonly key: string;
      /** The value. */
      readonly value: unknown;
      /** Write only at this version. */
      readonly ifVersion?: number;
      /** Write only when no live record exists. */
      readonly ifAbsent?: boolean;
    }
  | {
      /** Delete a key. */
      readonly op: 'delete';
      /** The key. */
      readonly key: string;
      /** Delete only at this version. */
      readonly ifVersion?: number;
    };

/** What a record call answered. `error` is any other stateproof error code (always a violation here). */
export type RecordAnswer =
  | {
      /** A get found a record. */
      readonly kind: 'record';
      /** Its value. */
      readonly value: unknown;
      /** Its version. */
      readonly version: number;
    }
  | {
      /** A get found nothing. */
      readonly kind: 'none';
    }
  | {
      /** A put took effect. */
      readonly kind: 'written';
      /** The new version. */
      readonly version: number;
    }
  | {
      /** A delete answered. */
      readonly kind: 'deleted';
      /** Whether there was a live record. */
      readonly existed: boolean;
    }
  | {
      /** STATEPROOF_VERSION_CONFLICT. */
      readonly kind: 'conflict';
      /** The current version it carried; null when absent. */
      readonly current: number | null;
    }
  | {
      /** Any other stateproof error. */
      readonly kind: 'error';
      /** Its code. */
      readonly code: string;
    };

/**
 * One key of a record surface. Versions are the backend's: the model learns each one. `live.version`
 * is null when the live record was written by a call that never returned (its version is unknown
 * until someone reads it); `floor` is the highest version known to have been handed out, which every
 * later write must exceed.
 */
export interface RecordKeyState {
  /** The live record; null when there is none. */
  readonly live: {
    /** Its value. */
    readonly value: unknown;
    /** Its version; null when the write that made it never returned. */
    readonly version: number | null;
  } | null;
  /** The highest version known to have been handed out. */
  readonly floor: number;
}

type Step = StepResult<RecordKeyState>;
const bad = (why: string, ...violates: RequirementId[]): Step => ({ ok: false, why, violates });
const show = (v: unknown) => JSON.stringify(v);
const condition = (c: { ifVersion?: number; ifAbsent?: boolean }) =>
  c.ifAbsent ? ' ifAbsent' : c.ifVersion !== undefined ? ` ifVersion ${c.ifVersion}` : '';
const versionOf = (s: RecordKeyState) =>
  s.live === null ? 'absent' : s.live.version === null ? 'an unknown version' : `version ${s.live.version}`;

/** A state where the live record turned out to have version `v` (learned from an answer). */
function learn(s: RecordKeyState, v: number): RecordKeyState {
  return { live: s.live && { value: s.live.value, version: v }, floor: Math.max(s.floor, v) };
}

/** Whether the live version may be `v`: it is, or it is unknown and `v` is above the floor. */
function mayBe(s: RecordKeyState, v: number): boolean {
  return s.live !== null && (s.live.version === v || (s.live.version === null && v > s.floor));
}

function put(s: RecordKeyState, c: Extract<RecordCall, { op: 'put' }>, a: RecordAnswer | Unknown): Step {
  const rule = c.ifAbsent ? 'REC-007' : c.ifVersion !== undefined ? 'REC-006' : 'REC-009';
  const written = (version: number | null): RecordKeyState => ({
    live: { value: c.value, version },
    floor: Math.max(s.floor, version ?? 0),
  });
  // Whether the condition holds: true, false, or 'maybe' (ifVersion against an unknown version).
  const holds = c.ifAbsent
    ? s.live === null
    : c.ifVersion === undefined
      ? true
      : s.live?.version === c.ifVersion
        ? true
        : mayBe(s, c.ifVersion)
          ? 'maybe'
          : false;
  if (a === UNKNOWN) {
    if (holds === false) return { ok: true, next: s };
    return holds === true ? { ok: true, next: written(null) } : { ok: true, next: written(null), others: [s] };
  }
  switch (a.kind) {
    case 'written':
      if (holds === false)
        return bad(`put${condition(c)} wrote version ${a.version}, but the key is at ${versionOf(s)}`, rule);
      if (!Number.isSafeInteger(a.version) || a.version <= s.floor)
        return bad(
          `put wrote version ${a.version}; it must be an integer above ${s.floor}, the highest version the key had`,
          'REC-004',
          'REC-005',
        );
      return { ok: true, next: written(a.version) };
    case 'conflict': {
      if (holds === true) return bad(`put${condition(c)} conflicted, but the key is at ${versionOf(s)}`, rule);
      if (
        a.current === null
          ? s.live !== null
          : !(s.live !== null && (s.live.version === a.current || (s.live.version === null && a.current > s.floor)))
      )
        return bad(`the conflict carries current version ${a.current}, but the key is at ${versionOf(s)}`, 'REC-008');
      if (c.ifVersion !== undefined && a.current === c.ifVersion)
        return bad(`put ifVersion ${c.ifVersion} conflicted although the current version is ${a.current}`, rule);
      return { ok: true, next: a.current === null ? s : learn(s, a.current) };
    }
    default:
      return bad(`put answered ${show(a)}`, rule);
  }
}

function del(s: RecordKeyState, c: Extract<RecordCall, { op: 'delete' }>, a: RecordAnswer | Unknown): Step {
  const rule = c.ifVersion === undefined ? 'REC-011' : 'REC-012';
  const holds =
    c.ifVersion === undefined ? true : s.live?.version === c.ifVersion ? true : mayBe(s, c.ifVersion) ? 'maybe' : false;
  const gone: RecordKeyState = { live: null, floor: s.floor };
  if (a === UNKNOWN)
    return holds === false
      ? { ok: true, next: s }
      : holds === true
        ? { ok: true, next: gone }
        : { ok: true, next: gone, others: [s] };
  switch (a.kind) {
    case 'deleted':
      if (holds === false) return bad(`delete${condition(c)} went through, but the key is at ${versionOf(s)}`, rule);
      if (a.existed !== (s.live !== null))
        return bad(
          `delete returned ${a.existed}, but the key is ${s.live === null ? 'absent' : `live at ${versionOf(s)}`}`,
          'REC-011',
        );
      return { ok: true, next: gone };
    case 'conflict':
      if (holds === true) return bad(`delete${condition(c)} conflicted, but the key is at ${versionOf(s)}`, rule);
      if (a.current === null ? s.live !== null : !mayBe(s, a.current) || a.current === c.ifVersion)
        return bad(`the conflict carries current version ${a.current}, but the key is at ${versionOf(s)}`, 'REC-008');
      return { ok: true, next: a.current === null ? s : learn(s, a.current) };
    default:
      return bad(`delete answered ${show(a)}`, rule);
  }
}

function get(s: RecordKeyState, a: RecordAnswer | Unknown): Step {
  if (a === UNKNOWN) return { ok: true, next: s };
  if (a.kind === 'none')
    return s.live === null
      ? { ok: true, next: s }
      : bad(`get returned nothing, but ${versionOf(s)} is live`, 'REC-001');
  if (a.kind !== 'record') return bad(`get answered ${show(a)}`, 'REC-001');
  if (s.live === null) return bad(`get returned version ${a.version}, but no record is live`, 'REC-001');
  if (!mayBe(s, a.version) || !defaultEqual(a.value, s.live.value))
    return bad(
      `get returned ${show(a.value)} at version ${a.version}, but ${show(s.live.value)} is live at ${versionOf(s)}`,
      'REC-001',
    );
  return { ok: true, next: learn(s, a.version) };
}

/**
 * The sequential specification of one record key under compare-and-set (spec/contract/record.md,
 * REC-001 and REC-003 to REC-012, without expiry): gets see the last write, versions are any
 * strictly increasing integers the backend picks, conditional writes and deletes go through exactly
 * when their condition holds, and conflicts carry the current version. Partitioned per key.
 */
export const recordCasModel: SequentialModel<RecordKeyState, RecordCall, RecordAnswer> = {
  init: () => ({ live: null, floor: 0 }),
  step(state, call, answer) {
    switch (call.op) {
      case 'get':
        return get(state, answer);
      case 'put':
        return put(state, call, answer);
      case 'delete':
        return del(state, call, answer);
    }
  },
  hash: (s) => stringHash(show(s)),
  equal: (a, b) =>
    a.floor === b.floor &&
    (a.live === b.live ||
      (a.live !== null &&
        b.live !== null &&
        a.live.version === b.live.version &&
        defaultEqual(a.live.value, b.live.value))),
  partition: partitionBy((op) => op.input.key),
  describeOperation(call, answer) {
    const cond =
      'ifVersion' in call && call.ifVersion !== undefined
        ? `, ifVersion ${call.ifVersion}`
        : 'ifAbsent' in call && call.ifAbsent
          ? ', ifAbsent'
          : '';
    const what =
      call.op === 'put' ? `put(${show(call.key)}, ${show(call.value)}${cond})` : `${call.op}(${show(call.key)}${cond})`;
    if (answer === UNKNOWN) return `${what} -> ? (never returned)`;
    const out =
      answer.kind === 'record'
        ? `${show(answer.value)} v${answer.version}`
        : answer.kind === 'none'
          ? 'null'
          : answer.kind === 'written'
            ? `ok v${answer.version}`
            : answer.kind === 'deleted'
              ? String(answer.existed)
              : answer.kind === 'conflict'
                ? `conflict (current ${answer.current ?? 'absent'})`
                : `error ${answer.code}`;
    return `${what} -> ${out}`;
  },
  describeState: (s) =>
    s.live === null
      ? `absent (highest version so far ${s.floor})`
      : `${show(s.live.value)} at ${versionOf(s)} (highest so far ${s.floor})`,
};
