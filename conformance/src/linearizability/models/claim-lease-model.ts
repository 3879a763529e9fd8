import type { RequirementId } from '../../requirements/requirement-ids.js';
import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel, type StepResult } from '../sequential-model.js';
import { defaultEqual, stringHash } from '../state-identity.js';

/** A call on a claim surface whose leases never run out during the history. */
export type ClaimCall =
  | {
      /** Acquire a key. */
      readonly op: 'acquire';
      /** The key. */
      readonly key: string;
      /** The acquiring owner. */
      readonly owner: string;
    }
  | {
      /** Renew a lease. */
      readonly op: 'renew';
      /** The key. */
      readonly key: string;
      /** The holder's fencing token. */
      readonly token: number;
    }
  | {
      /** Complete a claim. */
      readonly op: 'complete';
      /** The key. */
      readonly key: string;
      /** The holder's fencing token. */
      readonly token: number;
      /** The result. */
      readonly result: unknown;
    }
  | {
      /** Release a claim. */
      readonly op: 'release';
      /** The key. */
      readonly key: string;
      /** The holder's fencing token. */
      readonly token: number;
    };

/** What a claim call answered. `error` is any other stateproof error code (always a violation here). */
export type ClaimAnswer =
  | {
      /** Acquired. */
      readonly kind: 'acquired';
      /** The fencing token issued. */
      readonly token: number;
      /** Whether an expired lease was taken over. */
      readonly takeover: boolean;
      /** When the lease ends. */
      readonly expiresAt: number;
    }
  | {
      /** Held by another owner. */
      readonly kind: 'held';
      /** That owner. */
      readonly holder: string;
      /** When its lease ends. */
      readonly expiresAt: number;
    }
  | {
      /** Already completed. */
      readonly kind: 'completed';
      /** The owner that completed it. */
      readonly holder: string;
      /** The result. */
      readonly result: unknown;
    }
  | {
      /** Already abandoned. */
      readonly kind: 'abandoned';
      /** The owner that abandoned it. */
      readonly holder: string;
    }
  | {
      /** A renew succeeded. */
      readonly kind: 'renewed';
      /** The new end of the lease. */
      readonly expiresAt: number;
    }
  | {
      /** A complete or release succeeded. */
      readonly kind: 'done';
    }
  | {
      /** STATEPROOF_LEASE_LOST: the token was not current. */
      readonly kind: 'lease-lost';
    }
  | {
      /** Any other stateproof error. */
      readonly kind: 'error';
      /** Its code. */
      readonly code: string;
    };

/**
 * One claim key. `token` is the holder's fencing token (null while free, or when the acquisition
 * that made the holder never returned); `floor` is the highest token known to have been issued;
 * `expiresAt` is null when unknown (after a renew that never returned).
 */
export interface ClaimKeyState {
  /** Free, held, or completed (terminal). */
  readonly status: 'free' | 'held' | 'completed';
  /** The holder, or the owner that completed it; null while free. */
  readonly holder: string | null;
  /** The holder's fencing token; null while free or unknown. */
  readonly token: number | null;
  /** The highest token known to have been issued. */
  readonly floor: number;
  /** When the lease ends; null when unknown. */
  readonly expiresAt: number | null;
  /** The result of a completed claim. */
  readonly result: unknown;
}

type Step = StepResult<ClaimKeyState>;
const bad = (why: string, ...violates: RequirementId[]): Step => ({ ok: false, why, violates });
const show = (v: unknown) => JSON.stringify(v);
const describe = (s: ClaimKeyState) =>
  s.status === 'free'
    ? 'free'
    : s.status === 'held'
      ? `held by ${s.holder} with token ${s.token ?? '?'}`
      : `completed by ${s.holder}`;

function acquire(s: ClaimKeyState, c: Extract<ClaimCall, { op: 'acquire' }>, a: ClaimAnswer | Unknown): Step {
  if (a === UNKNOWN) {
    // If it took the key, its token is unknown to everyone; if it did not, nothing changed.
    return s.status === 'free'
      ? { ok: true, next: { ...s, status: 'held', holder: c.owner, token: null, expiresAt: null }, others: [s] }
      : { ok: true, next: s };
  }
  switch (a.kind) {
    case 'acquired':
      if (s.status !== 'free')
        return bad(
          `${c.owner} acquired the key, but it is ${describe(s)}`,
          ...(s.status === 'held' ? (['CLM-002', 'CLM-004'] as const) : (['CLM-008'] as const)),
        );
      if (!Number.isSafeInteger(a.token) || a.token <= s.floor)
        return bad(
          `${c.owner} acquired with token ${a.token}; it must be above ${s.floor}, the highest token the key had`,
          'CLM-003',
        );
      if (a.takeover)
        return bad(
          `${c.owner} acquired with takeover: true, but no lease has expired`,
          s.floor > 0 ? 'CLM-005' : 'CLM-001',
        );
      return {
        ok: true,
        next: { status: 'held', holder: c.owner, token: a.token, floor: a.token, expiresAt: a.expiresAt, result: null },
      };
    case 'held':
      if (s.status !== 'held')
        return bad(
          `acquire by ${c.owner} says held by ${a.holder}, but the key is ${describe(s)}`,
          s.status === 'free' ? 'CLM-001' : 'CLM-008',
        );
      if (a.holder !== s.holder)
        return bad(`acquire by ${c.owner} says held by ${a.holder}, but ${s.holder} holds it`, 'CLM-002');
      if (s.expiresAt !== null && a.expiresAt !== s.expiresAt)
        return bad(`acquire reports the lease expiring at ${a.expiresAt}, but it expires at ${s.expiresAt}`, 'CLM-002');
      return { ok: true, next: { ...s, expiresAt: a.expiresAt } };
    case 'completed':
      if (s.status !== 'completed' || a.holder !== s.holder || !defaultEqual(a.result, s.result))
        return bad(
          `acquire says completed by ${a.holder} with ${show(a.result)}, but the key is ${describe(s)}${s.status === 'completed' ? ` with ${show(s.result)}` : ''}`,
          'CLM-008',
        );
      return { ok: true, next: s };
    default:
      return bad(`acquire answered ${show(a)}`, 'CLM-001');
  }
}

/** Renew, complete or release with a token: valid when the key is held under that token. */
function write(s: ClaimKeyState, c: Exclude<ClaimCall, { op: 'acquire' }>, a: ClaimAnswer | Unknown): Step {
  // A holder whose token is unknown may be this one; the answer decides.
  const valid = s.status === 'held' && (s.token === c.token || (s.token === null && c.token > s.floor));
  const after = (): ClaimKeyState => {
    const held = { ...s, token: c.token, floor: Math.max(s.floor, c.token) };
    if (c.op === 'complete') return { ...held, status: 'completed', expiresAt: null, result: c.result };
    if (c.op === 'release') return { ...held, status: 'free', holder: null, token: null, expiresAt: null };
    return { ...held, expiresAt: a !== UNKNOWN && a.kind === 'renewed' ? a.expiresAt : null };
  };
  if (a === UNKNOWN) return valid ? { ok: true, next: after(), others: [s] } : { ok: true, next: s };
  const success = c.op === 'renew' ? 'renewed' : 'done';
  if (a.kind === success)
    return valid
      ? { ok: true, next: after() }
      : bad(
          `${c.op} with token ${c.token} went through, but the key is ${describe(s)}`,
          'CLM-007',
          ...(s.status === 'completed' ? (['CLM-008'] as const) : []),
        );
  if (a.kind === 'lease-lost') {
    if (s.status === 'held' && s.token === c.token)
      return bad(
        `${c.op} with the holder's token ${c.token} was refused as a lost lease`,
        c.op === 'renew' ? 'CLM-006' : c.op === 'complete' ? 'CLM-008' : 'CLM-005',
      );
    return { ok: true, next: s };
  }
  return bad(`${c.op} answered ${show(a)}`, 'CLM-007');
}

/**
 * The sequential specification of one claim key while no lease expires (spec/contract/claim.md):
 * acquire takes a free key with a fencing token above every earlier one and no takeover (CLM-001,
 * CLM-003 to CLM-005), reports the one holder while it is held (CLM-002) and the frozen result once
 * completed (CLM-008); renew, complete and release work with the holder's token only (CLM-006,
 * CLM-007). Partitioned per key.
 */
export const claimLeaseModel: SequentialModel<ClaimKeyState, ClaimCall, ClaimAnswer> = {
  init: () => ({ status: 'free', holder: null, token: null, floor: 0, expiresAt: null, result: null }),
  step: (s, c, a) => (c.op === 'acquire' ? acquire(s, c, a) : write(s, c, a)),
  hash: (s) => stringHash(show(s)),
  equal: (a, b) =>
    a.status === b.status &&
    a.holder === b.holder &&
    a.token === b.token &&
    a.floor === b.floor &&
    a.expiresAt === b.expiresAt &&
    defaultEqual(a.result, b.result),
  partition: partitionBy((op) => op.input.key),
  describeOperation(c, a) {
    const what =
      c.op === 'acquire'
        ? `acquire(${show(c.key)}, ${c.owner})`
        : c.op === 'complete'
          ? `complete(${show(c.key)}, token ${c.token}, ${show(c.result)})`
          : `${c.op}(${show(c.key)}, token ${c.token})`;
    if (a === UNKNOWN) return `${what} -> ? (never returned)`;
    const out =
      a.kind === 'acquired'
        ? `acquired token ${a.token}${a.takeover ? ' (takeover)' : ''}`
        : a.kind === 'held'
          ? `held by ${a.holder}`
          : a.kind === 'completed'
            ? `completed by ${a.holder}: ${show(a.result)}`
            : a.kind === 'error'
              ? `error ${a.code}`
              : a.kind;
    return `${what} -> ${out}`;
  },
  describeState: (s) =>
    `${describe(s)}${s.status === 'completed' ? ` with ${show(s.result)}` : ''} (highest token so far ${s.floor})`,
};
