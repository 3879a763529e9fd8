import type { LogEvent } from '../adapter/log-store.js';
import { LogTrimmedError } from '../errors/outcome-errors.js';

/**
 * Whether a read of `stream` after `after` would skip trimmed entries, given its oldest retained
 * sequence (null when none is retained) and its last assigned one: LogTrimmedError then, so that no
 * reader misses an entry silently; undefined when nothing after `after` was trimmed.
 */
export function trimmedRead(
  stream: string,
  after: number,
  oldest: number | null,
  last: number,
): LogTrimmedError | undefined {
  if (after >= last) return undefined;
  if (oldest === null || after + 1 < oldest) return new LogTrimmedError(stream, after, oldest, last);
  return undefined;
}

/**
 * The event that tells a subscriber at `position` that the entries up to the oldest retained one
 * (`oldest`, null when none is retained) were trimmed before it read them; delivery resumes after `toSeq`.
 */
export function trimmedResync(
  position: number,
  oldest: number | null,
  last: number,
): Extract<LogEvent, { type: 'resync' }> {
  return { type: 'resync', reason: 'trimmed', fromSeq: position + 1, toSeq: (oldest ?? last + 1) - 1 };
}
