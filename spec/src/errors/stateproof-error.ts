import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** Options shared by every stateproof error. */
export interface StateproofErrorOptions {
  /** JSON Pointer (RFC 6901) or dotted option path to the offending input, when there is one. */
  readonly path?: string;
  /** What the caller can do next, in one sentence. */
  readonly hint?: string;
  /** Structured facts about the failure (current version, oldest sequence, …). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Overrides the catalogue's `retryable` when the cause is known not to be transient (say, a wrong password). */
  readonly retryable?: boolean;
}

/**
 * Base class of every error stateproof throws. The `code` is stable and machine-readable;
 * `path` points at what is wrong; `retryable` comes from the code catalogue.
 */
export class StateproofError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Where the offending input is, as a JSON Pointer or option path. */
  readonly path: string | undefined;
  /** What to do next. */
  readonly hint: string | undefined;
  /** Structured details. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;

  /** `retryable` defaults to the catalogue's value for `code`; `options.cause` becomes the standard `cause`. */
  constructor(code: ErrorCode, message: string, options: StateproofErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
  }

  /** A plain JSON form for reports and `--json` output. */
  toJSON(): {
    /** The stable code. */
    code: ErrorCode;
    /** The error message. */
    message: string;
    /** Where the offending input is; absent when there is none. */
    path?: string;
    /** What to do next; absent when there is no hint. */
    hint?: string;
    /** A copy of the details; absent when there are none. */
    details?: Record<string, unknown>;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: { ...this.details } }),
    };
  }
}

/** True when `error` is a stateproof error, optionally with the given code. */
export function isStateproofError(error: unknown, code?: ErrorCode): error is StateproofError {
  return error instanceof StateproofError && (code === undefined || error.code === code);
}
