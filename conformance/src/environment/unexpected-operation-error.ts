import type { SurfaceKind } from '@stateproof/spec';
import type { RequirementId } from '../requirements/requirement-ids.js';

/** Where an error was raised: a store operation of the fixture's adapter. */
interface RaisedBy {
  readonly kind: SurfaceKind;
  readonly operation: string;
  readonly requirements: readonly RequirementId[];
}

// Errors are remembered, not replaced, where the store throws them: a property may expect the very
// error (a version conflict it compares with its model, reading `current`), and only the one that
// escapes the property is unexpected. An error object is thrown by one operation; the first wins.
const raisedBy = new WeakMap<object, RaisedBy>();

/** Remembers that `kind`'s store operation `operation` threw `error` (see fixture.ts). */
export function noteOperationError(error: unknown, raised: RaisedBy): void {
  if (typeof error === 'object' && error !== null && !raisedBy.has(error)) raisedBy.set(error, raised);
}

/**
 * An error that was not the expected outcome of the store operation that raised it: it escaped the
 * property instead of being compared with the model. It is reported against the requirements that
 * govern that operation's success (`record.put` -> REC-002 and the rule of its condition), with the
 * error's code, rather than against the requirements of the property that happened to call it.
 */
export class UnexpectedOperationError extends Error {
  /** Wraps `error`, which `operation` threw. */
  constructor(
    /** `<kind>.<operation>`, e.g. `record.put`. */
    readonly operation: string,
    /** The requirements that operation's success is governed by (empty when the contract names none). */
    readonly requirements: readonly RequirementId[],
    /** The error's stable code (`STATEPROOF_…` or the backend's), when it has one. */
    readonly code: string | undefined,
    /** The error the operation threw. */
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `${requirements.length > 0 ? `[${requirements.join(', ')}] ` : ''}${operation} failed unexpectedly with ${code ?? 'an error without a code'}: ${detail}`,
    );
    this.name = 'UnexpectedOperationError';
  }

  /** `error` as the operation that raised it reports it, or undefined when no store operation of a fixture raised it. */
  static of(error: unknown): UnexpectedOperationError | undefined {
    if (error instanceof UnexpectedOperationError) return error;
    const raised = typeof error === 'object' && error !== null ? raisedBy.get(error) : undefined;
    if (!raised) return undefined;
    const code = (error as { code?: unknown }).code;
    return new UnexpectedOperationError(
      `${raised.kind}.${raised.operation}`,
      raised.requirements,
      typeof code === 'string' ? code : undefined,
      error,
    );
  }
}
