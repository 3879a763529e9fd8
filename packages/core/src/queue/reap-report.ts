import type { ReapedAttempt } from './reap-attempt.js';

/** What one run of a queue reaper did. */
export interface ReapReport {
  /** Attempts whose lease expired. */
  lost: number;
  /** Attempts past their maximum runtime. */
  timedOut: number;
  /** Their tasks queued again for a retry. */
  requeued: number;
  /** Their tasks failed for good (attempts exhausted). */
  failed: number;
  /** Their tasks canceled (a cancel was requested while the attempt ran). */
  canceled: number;
}

/** A report of a reaper run that has done nothing yet. */
export function emptyReapReport(): ReapReport {
  return { lost: 0, timedOut: 0, requeued: 0, failed: 0, canceled: 0 };
}

/** Counts one reaped attempt in `report`: how it ended, and what became of its task. */
export function countReaped(report: ReapReport, reaped: ReapedAttempt, next: 'queued' | 'failed' | 'canceled'): void {
  if (reaped.outcome === 'timed-out') report.timedOut++;
  else report.lost++;
  if (next === 'queued') report.requeued++;
  else if (next === 'failed') report.failed++;
  else report.canceled++;
}
