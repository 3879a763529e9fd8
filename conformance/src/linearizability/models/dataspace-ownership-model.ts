import type { RequirementId } from '../../requirements/requirement-ids.js';
import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel, type StepResult } from '../sequential-model.js';
import { stringHash } from '../state-identity.js';

/** A call on a dataspace by one live session (sessions never expire in these histories). */
export type DataspaceCall =
  | {
      /** Assert (or overwrite) an id. */
      readonly op: 'assert';
      /** The asserting session. */
      readonly session: string;
      /** The id. */
      readonly id: string;
      /** The value. */
      readonly value: string;
    }
  | {
      /** Retract an id. */
      readonly op: 'retract';
      /** The retracting session. */
      readonly session: string;
      /** The id. */
      readonly id: string;
    }
  | {
      /** Read an id. */
      readonly op: 'get';
      /** The id. */
      readonly id: string;
    };

/** What a dataspace call answered. `error` is any other stateproof error code (always a violation here). */
export type DataspaceAnswer =
  | {
      /** An assert or retract took effect. */
      readonly kind: 'revision';
      /** The revision of the change. */
      readonly revision: number;
    }
  | {
      /** A get found nothing, or a retract had nothing to retract. */
      readonly kind: 'none';
    }
  | {
      /** A get found an assertion. */
      readonly kind: 'assertion';
      /** Its session. */
      readonly session: string;
      /** Its value. */
      readonly value: string;
      /** Its revision. */
      readonly revision: number;
    }
  | {
      /** STATEPROOF_OWNERSHIP: another session owns the id. */
      readonly kind: 'ownership';
    }
  | {
      /** Any other stateproof error. */
      readonly kind: 'error';
      /** Its code. */
      readonly code: string;
    };

/**
 * One id of a dataspace. `holder.revision` is null when the assertion was made by a call that never
 * returned; `floor` is the highest revision known for the id, which every later change must exceed.
 */
export interface DataspaceIdState {
  /** The current assertion; null when there is none. */
  readonly holder: {
    /** The owning session. */
    readonly session: string;
    /** The value. */
    readonly value: string;
    /** Its revision; null when the call that made it never returned. */
    readonly revision: number | null;
  } | null;
  /** The highest revision known for the id. */
  readonly floor: number;
}

type Step = StepResult<DataspaceIdState>;
const bad = (why: string, ...violates: RequirementId[]): Step => ({ ok: false, why, violates });
const show = (v: unknown) => JSON.stringify(v);
const heldBy = (s: DataspaceIdState) =>
  s.holder === null ? 'unasserted' : `asserted by session ${s.holder.session} (${show(s.holder.value)})`;

/** A change answered with `revision`: it must be an integer above every revision the id had (DSP-011). */
function fresh(s: DataspaceIdState, revision: number): boolean {
  return Number.isSafeInteger(revision) && revision > s.floor;
}

function assert(s: DataspaceIdState, c: Extract<DataspaceCall, { op: 'assert' }>, a: DataspaceAnswer | Unknown): Step {
  const mine = s.holder === null || s.holder.session === c.session;
  const written = (revision: number | null): DataspaceIdState => ({
    holder: { session: c.session, value: c.value, revision },
    floor: Math.max(s.floor, revision ?? 0),
  });
  if (a === UNKNOWN) return { ok: true, next: mine ? written(null) : s };
  if (a.kind === 'revision') {
    if (!mine) return bad(`session ${c.session} asserted ${show(c.id)}, but it is ${heldBy(s)}`, 'DSP-005');
    if (!fresh(s, a.revision))
      return bad(`assert answered revision ${a.revision}; the id already had revision ${s.floor}`, 'DSP-011');
    return { ok: true, next: written(a.revision) };
  }
  if (a.kind === 'ownership')
    return mine
      ? bad(`assert by session ${c.session} was refused for ownership, but the id is ${heldBy(s)}`, 'DSP-004')
      : { ok: true, next: s };
  return bad(`assert answered ${show(a)}`, 'DSP-004');
}

function retract(
  s: DataspaceIdState,
  c: Extract<DataspaceCall, { op: 'retract' }>,
  a: DataspaceAnswer | Unknown,
): Step {
  const mine = s.holder !== null && s.holder.session === c.session;
  const gone: DataspaceIdState = { holder: null, floor: s.floor };
  if (a === UNKNOWN) return { ok: true, next: mine ? gone : s };
  if (a.kind === 'none')
    return s.holder === null
      ? { ok: true, next: s }
      : bad(`retract answered null, but the id is ${heldBy(s)}`, 'DSP-006');
  if (a.kind === 'revision') {
    if (!mine) return bad(`session ${c.session} retracted ${show(c.id)}, but it is ${heldBy(s)}`, 'DSP-005');
    if (!fresh(s, a.revision))
      return bad(`retract answered revision ${a.revision}; the id already had revision ${s.floor}`, 'DSP-011');
    return { ok: true, next: { holder: null, floor: a.revision } };
  }
  if (a.kind === 'ownership')
    return s.holder !== null && !mine
      ? { ok: true, next: s }
      : bad(`retract by session ${c.session} was refused for ownership, but the id is ${heldBy(s)}`, 'DSP-005');
  return bad(`retract answered ${show(a)}`, 'DSP-006');
}

function get(s: DataspaceIdState, a: DataspaceAnswer | Unknown): Step {
  if (a === UNKNOWN) return { ok: true, next: s };
  if (a.kind === 'none')
    return s.holder === null ? { ok: true, next: s } : bad(`get returned null, but the id is ${heldBy(s)}`, 'DSP-012');
  if (a.kind !== 'assertion') return bad(`get answered ${show(a)}`, 'DSP-012');
  const h = s.holder;
  if (
    h === null ||
    h.session !== a.session ||
    h.value !== a.value ||
    (h.revision === null ? a.revision <= s.floor : h.revision !== a.revision)
  )
    return bad(
      `get returned ${show(a.value)} of session ${a.session} at revision ${a.revision}, but the id is ${heldBy(s)}`,
      'DSP-012',
    );
  return { ok: true, next: { holder: { ...h, revision: a.revision }, floor: Math.max(s.floor, a.revision) } };
}

/**
 * The sequential specification of one dataspace id under owned assertions (spec/contract/dataspace.md,
 * DSP-004 to DSP-006, DSP-011 and DSP-012, without expiry): an id unasserted or asserted by the
 * caller's own session may be asserted (overwriting), one asserted by another live session is refused
 * for ownership, only the owner retracts, get sees the last change, and each change's revision exceeds
 * every earlier one of the id. Partitioned per id.
 */
export const dataspaceOwnershipModel: SequentialModel<DataspaceIdState, DataspaceCall, DataspaceAnswer> = {
  init: () => ({ holder: null, floor: 0 }),
  step(state, call, answer) {
    switch (call.op) {
      case 'assert':
        return assert(state, call, answer);
      case 'retract':
        return retract(state, call, answer);
      case 'get':
        return get(state, answer);
    }
  },
  hash: (s) => stringHash(show(s)),
  equal: (a, b) =>
    a.floor === b.floor &&
    (a.holder === b.holder ||
      (a.holder !== null &&
        b.holder !== null &&
        a.holder.session === b.holder.session &&
        a.holder.value === b.holder.value &&
        a.holder.revision === b.holder.revision)),
  partition: partitionBy((op) => op.input.id),
  describeOperation(call, answer) {
    const what =
      call.op === 'assert'
        ? `session ${call.session}: assert(${show(call.id)}, ${show(call.value)})`
        : call.op === 'retract'
          ? `session ${call.session}: retract(${show(call.id)})`
          : `get(${show(call.id)})`;
    if (answer === UNKNOWN) return `${what} -> ? (never returned)`;
    const out =
      answer.kind === 'revision'
        ? `ok r${answer.revision}`
        : answer.kind === 'none'
          ? 'null'
          : answer.kind === 'assertion'
            ? `${show(answer.value)} of session ${answer.session} r${answer.revision}`
            : answer.kind === 'ownership'
              ? 'ownership refused'
              : `error ${answer.code}`;
    return `${what} -> ${out}`;
  },
  describeState: (s) => `${heldBy(s)} (highest revision so far ${s.floor})`,
};
