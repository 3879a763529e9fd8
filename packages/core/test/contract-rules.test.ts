import { describe, expect, it } from 'vitest';
import {
  attemptLeaseEnd,
  attemptLost,
  cancelDecision,
  casConflict,
  casHolds,
  checkSession,
  claimHolderError,
  claimLeaseLost,
  closeSessionDecision,
  compareClaimOrder,
  countReaped,
  cursorCommitError,
  decideAcquire,
  emptyReapReport,
  endAttempt,
  foreignOwner,
  noCancelRequest,
  reapAttempt,
  retryDecision,
  sessionExpired,
  trimmedRead,
  trimmedResync,
  type AttemptRecord,
  type ClaimRecord,
} from '@stateproof/core/adapter-kit';
import { DEFAULT_RETRY } from '@stateproof/core';

const held: ClaimRecord = {
  key: 'k',
  state: 'held',
  holder: 'w',
  token: 3,
  expiresAt: 100,
  acquiredAt: 0,
  renewedAt: 0,
  completedAt: null,
  result: null,
  reason: null,
  takeovers: 1,
};

describe('queue rules', () => {
  it('caps the lease end of an attempt at its start plus maxRuntimeMs', () => {
    expect(attemptLeaseEnd(0, 50, 100, undefined)).toBe(150);
    expect(attemptLeaseEnd(0, 50, 100, 120)).toBe(120);
  });

  it('says why a write of an attempt is not found or lost, with the messages every adapter gives', () => {
    const running = { state: 'running' as const, token: 't1', attempts: 2, leaseExpiresAt: 100 };
    expect(attemptLost('complete', '7', 't1', running, 99)).toBeUndefined();
    expect(attemptLost('complete', '7', 't1', undefined, 0)).toMatchObject({
      code: 'STATEPROOF_NOT_FOUND',
      message: 'task 7 does not exist',
    });
    expect(attemptLost('fail', '7', 't0', running, 0)).toMatchObject({
      code: 'STATEPROOF_LEASE_LOST',
      message: 'lease lost: fail of task 7: the attempt is no longer current (task is running, attempt 2)',
    });
    expect(attemptLost('heartbeat', '7', 't1', running, 100)).toMatchObject({
      message: 'lease lost: heartbeat of task 7: the lease expired at 100',
    });
  });

  it('retries with the pinned backoff while attempts remain, else fails', () => {
    const policy = { ...DEFAULT_RETRY, jitter: 0 };
    expect(retryDecision(policy, 1, 3, true, () => 0)).toEqual({ state: 'queued', delayMs: 1000 });
    expect(retryDecision(policy, 2, 3, true, () => 0)).toEqual({ state: 'queued', delayMs: 2000 });
    expect(retryDecision(policy, 3, 3, true, () => 0)).toEqual({ state: 'failed' });
    expect(retryDecision(policy, 1, 3, false, () => 0)).toEqual({ state: 'failed' });
  });

  it('ends the running attempt in the bounded history, newest kept', () => {
    const a = (attempt: number): AttemptRecord => ({
      attempt,
      worker: 'w',
      startedAt: attempt,
      endedAt: null,
      outcome: 'running',
      error: null,
    });
    const ended = endAttempt([a(1), a(2), a(3)], 3, { outcome: 'lost', endedAt: 9, error: 'lease expired' }, 2);
    expect(ended).toEqual([a(2), { ...a(3), outcome: 'lost', endedAt: 9, error: 'lease expired' }]);
    expect(endAttempt([a(1)], 2, { outcome: 'failed', endedAt: 9, error: 'x' }, 5)).toEqual([a(1)]);
  });

  it('reaps an attempt past its maximum runtime as timed out, an expired lease as lost, and counts both', () => {
    expect(reapAttempt(0, 100, 99, undefined)).toBeUndefined();
    expect(reapAttempt(0, 100, 100, undefined)).toEqual({ outcome: 'lost', error: 'lease expired' });
    expect(reapAttempt(0, 100, 50, 50)).toEqual({ outcome: 'timed-out', error: 'maximum runtime exceeded' });
    const report = emptyReapReport();
    countReaped(report, { outcome: 'lost', error: '' }, 'queued');
    countReaped(report, { outcome: 'timed-out', error: '' }, 'canceled');
    expect(report).toEqual({ lost: 1, timedOut: 1, requeued: 1, failed: 0, canceled: 1 });
  });

  it('orders claims by priority, due time and enqueue order; cancels by state', () => {
    const tasks = [
      { priority: 0, runAt: 1, seq: 1n },
      { priority: 1, runAt: 5, seq: 3n },
      { priority: 0, runAt: 1, seq: 0n },
      { priority: 0, runAt: 0, seq: 4n },
    ];
    expect([...tasks].sort(compareClaimOrder).map((t) => t.seq)).toEqual([3n, 4n, 0n, 1n]);
    expect([cancelDecision('queued'), cancelDecision('running'), cancelDecision('succeeded')]).toEqual([
      'cancel',
      'request',
      'none',
    ]);
    expect(noCancelRequest('7')).toMatchObject({
      code: 'STATEPROOF_INVALID_TRANSITION',
      message: 'task 7 has no cancel request to acknowledge',
    });
  });
});

describe('claim rules', () => {
  it('says why a holder may not write, with the messages every adapter gives', () => {
    expect(claimHolderError('renew', 'k', 3, held, 99)).toBeUndefined();
    expect(claimHolderError('renew', 'k', 3, undefined, 0)?.message).toBe(
      'lease lost: renew of "k": the key was never acquired',
    );
    expect(claimHolderError('renew', 'k', 2, held, 0)?.message).toBe(
      'lease lost: renew of "k" with token 2: the current token is 3',
    );
    expect(claimHolderError('renew', 'k', 3, { ...held, state: 'released' }, 0)?.message).toBe(
      'lease lost: renew of "k": the claim is released',
    );
    expect(claimHolderError('renew', 'k', 3, held, 100)?.message).toBe(
      'lease lost: renew of "k": the lease expired at 100',
    );
    expect(claimHolderError('renew', 'k', 3, held, 0, () => true)?.code).toBe('STATEPROOF_LEASE_LOST');
    expect(claimLeaseLost('complete', 'k', 3, held).message).toBe(
      'lease lost: complete of "k": the lease expired at 100',
    );
  });

  it('decides an acquire: terminal outcomes, an unexpired holder, or free with the next token', () => {
    expect(decideAcquire(null, 0)).toEqual({ status: 'free', token: 1, takeover: false, takeovers: 0 });
    expect(decideAcquire(held, 50)).toEqual({ status: 'held', holder: 'w', expiresAt: 100 });
    expect(decideAcquire(held, 100)).toEqual({ status: 'free', token: 4, takeover: true, takeovers: 2 });
    expect(decideAcquire({ ...held, state: 'released', holder: null, expiresAt: null }, 0)).toMatchObject({
      status: 'free',
      takeover: false,
      takeovers: 1,
    });
    expect(decideAcquire({ ...held, state: 'completed', result: 'r', completedAt: 7 }, 0)).toEqual({
      status: 'completed',
      result: 'r',
      holder: 'w',
      completedAt: 7,
    });
  });
});

describe('dataspace rules', () => {
  it('judges session liveness, close and ownership', () => {
    expect(sessionExpired({ state: 'open', expiresAt: 10 }, 10)).toBe(true);
    expect(sessionExpired({ state: 'closed', expiresAt: 10 }, 99)).toBe(false);
    expect(checkSession('s1', { state: 'open' }, false)).toEqual({ live: true });
    expect(checkSession('s1', undefined, false)).toMatchObject({
      live: false,
      reap: false,
      error: { code: 'STATEPROOF_NOT_FOUND' },
    });
    expect(checkSession('s1', { state: 'open' }, true)).toMatchObject({
      live: false,
      reap: true,
      error: { message: 'session s1 is expired; its assertions were retracted' },
    });
    expect(checkSession('s1', { state: 'closed' }, false)).toMatchObject({
      live: false,
      reap: false,
      error: { code: 'STATEPROOF_SESSION_EXPIRED' },
    });
    expect(closeSessionDecision('s1', { state: 'open' }, false)).toEqual({ end: 'closed' });
    expect(closeSessionDecision('s1', { state: 'open' }, true)).toEqual({ end: 'expired' });
    expect(closeSessionDecision('s1', { state: 'closed' }, false)).toEqual({ end: null });
    expect(closeSessionDecision('s1', undefined, false)).toMatchObject({ error: { code: 'STATEPROOF_NOT_FOUND' } });
    expect(foreignOwner('a', { id: 's2', owner: 'node-b' }, false)).toMatchObject({ code: 'STATEPROOF_OWNERSHIP' });
    expect(foreignOwner('a', { id: 's2', owner: 'node-b' }, true)).toBe('reap');
    expect(foreignOwner('a', undefined, false)).toBeUndefined();
  });
});

describe('record and log rules', () => {
  it('holds compare-and-set conditions against the live version', () => {
    expect(casHolds(null, { ifAbsent: true })).toBe(true);
    expect(casHolds(3, { ifAbsent: true })).toBe(false);
    expect(casHolds(3, { ifVersion: 3 })).toBe(true);
    expect(casHolds(null, { ifVersion: 3 })).toBe(false);
    expect(casConflict('k', { ifVersion: 3 }, 4)).toMatchObject({ code: 'STATEPROOF_VERSION_CONFLICT', current: 4 });
  });

  it('refuses reads past trimmed entries and bad cursor commits', () => {
    expect(trimmedRead('s', 5, 3, 5)).toBeUndefined();
    expect(trimmedRead('s', 2, 3, 5)).toBeUndefined();
    expect(trimmedRead('s', 1, 3, 5)).toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED', oldest: 3, last: 5 });
    expect(trimmedResync(1, 3, 5)).toEqual({ type: 'resync', reason: 'trimmed', fromSeq: 2, toSeq: 2 });
    expect(trimmedResync(1, null, 5)).toMatchObject({ toSeq: 5 });
    expect(cursorCommitError('s', 'c', 6, 0, 5, false)).toMatchObject({
      code: 'STATEPROOF_INVALID_OPTIONS',
      path: 'seq',
    });
    expect(cursorCommitError('s', 'c', 2, 3, 5, false)).toMatchObject({ code: 'STATEPROOF_CURSOR_REGRESSION' });
    expect(cursorCommitError('s', 'c', 2, 3, 5, true)).toBeUndefined();
  });
});
