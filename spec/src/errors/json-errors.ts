import { StateproofError, type StateproofErrorOptions } from './stateproof-error.js';

/** A value is not I-JSON (RFC 7493) and cannot be canonicalised, stored or fingerprinted. */
export class NotIJsonError extends StateproofError {
  /** `path` is the JSON Pointer of the offending value; the hint says what may be stored. */
  constructor(message: string, options: StateproofErrorOptions & { path: string }) {
    super('STATEPROOF_NOT_IJSON', message, {
      hint: 'Store only plain JSON data: finite numbers, strings of whole Unicode characters, booleans, null, arrays and plain objects.',
      ...options,
    });
  }
}

/** A value holds a `__proto__` property. */
export class ForbiddenPropertyError extends StateproofError {
  /** `path` is the JSON Pointer of the object that holds `__proto__`. */
  constructor(path: string) {
    super('STATEPROOF_FORBIDDEN_PROPERTY', `property "__proto__" at ${path || '/'} is not allowed`, {
      path,
      hint: 'Rename the property; "__proto__" can pollute prototypes in consumers that merge objects.',
    });
  }
}

/** A JSON text could not be parsed strictly. */
export class JsonParseError extends StateproofError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;

  /**
   * `position` is where the parser stopped (1-based line and column, 0-based offset); `path` is the JSON Pointer of
   * the value it was in.
   */
  constructor(message: string, position: { line: number; column: number; offset: number }, path?: string) {
    super('STATEPROOF_JSON_PARSE', `${message} at line ${position.line}, column ${position.column}`, {
      ...(path === undefined ? {} : { path }),
      details: { line: position.line, column: position.column, offset: position.offset },
      hint: 'Fix the JSON text at that position; duplicate keys and numbers outside the double range are rejected.',
    });
    this.line = position.line;
    this.column = position.column;
  }
}
