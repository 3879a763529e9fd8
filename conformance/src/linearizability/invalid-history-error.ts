import { StateproofError } from '@stateproof/spec';

/**
 * A recorded history that cannot be read: not JSON, an event without a process or type, a
 * completion without its invoke, an operation the model does not know. `line` is 1-based.
 */
export class InvalidHistoryError extends StateproofError {
  /** The line of the file that is wrong (1-based), or 0 when the file as a whole is. */
  readonly line: number;

  /** `line` is where the problem is; `message` says what is wrong there. */
  constructor(line: number, message: string, hint?: string) {
    super('STATEPROOF_INVALID_HISTORY', line > 0 ? `line ${line}: ${message}` : message, {
      path: line > 0 ? `line ${line}` : '',
      details: { line },
      hint:
        hint ??
        'Each line must be one JSON event: {"process": 0, "type": "invoke|ok|fail|info", "f": "...", "value": ...}.',
    });
    this.line = line;
  }
}
