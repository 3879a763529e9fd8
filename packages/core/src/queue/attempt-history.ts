import type { AttemptOutcome, AttemptRecord } from '../adapter/queue-store.js';

/** How an attempt ended, for {@link endAttempt}. */
export interface AttemptEnd {
  /** How it ended. */
  readonly outcome: Exclude<AttemptOutcome, 'running'>;
  /** When (epoch ms). */
  readonly endedAt: number;
  /** The error it failed with, if any. */
  readonly error: string | null;
}

/** The newest `keep` attempts of `history` (oldest first): the bounded attempt history of a task. */
export function trimHistory<A extends AttemptRecord>(history: readonly A[], keep: number): A[] {
  return history.slice(Math.max(0, history.length - keep));
}

/**
 * `history` with running attempt `attempt` ended as `end` says, trimmed to the newest `keep`. An
 * attempt no longer in the history (trimmed away) leaves it as it is, but trimmed.
 */
export function endAttempt(
  history: readonly AttemptRecord[],
  attempt: number,
  end: AttemptEnd,
  keep: number,
): AttemptRecord[] {
  const last = history[history.length - 1];
  const ended = last?.attempt === attempt ? [...history.slice(0, -1), { ...last, ...end }] : [...history];
  return trimHistory(ended, keep);
}
