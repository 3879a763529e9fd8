import { InvalidOptionsError } from '../errors/input-errors.js';
import { CursorRegressionError } from '../errors/outcome-errors.js';

/** Why committing `consumer`'s cursor of `stream` to `seq` is refused: a sequence beyond the last assigned one. */
export function cursorBeyondLast(stream: string, seq: number, last: number): InvalidOptionsError | undefined {
  if (seq <= last) return undefined;
  return new InvalidOptionsError(`cursor ${seq} is beyond the last sequence ${last} of stream "${stream}"`, {
    path: 'seq',
  });
}

/**
 * Why committing `consumer`'s cursor of `stream` to `seq` is refused, given the committed cursor
 * (`current`) and the stream's last sequence: beyond the last sequence, or backwards without `reset`.
 */
export function cursorCommitError(
  stream: string,
  consumer: string,
  seq: number,
  current: number,
  last: number,
  reset: boolean,
): InvalidOptionsError | CursorRegressionError | undefined {
  return (
    cursorBeyondLast(stream, seq, last) ??
    (seq < current && !reset ? new CursorRegressionError(consumer, current, seq) : undefined)
  );
}
