import { StateproofError, type StateproofErrorOptions } from '@stateproof/spec';

/** A surface id is malformed. */
export class InvalidIdError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_INVALID_ID', message, {
      hint: 'Use a literal id such as "orders.by-id": non-empty, at most 512 UTF-8 bytes, no control characters.',
      ...options,
    });
  }
}

/** A key, stream, topic, owner, worker or assertion id is malformed. */
export class InvalidKeyError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_INVALID_KEY', message, {
      hint: 'Keys are non-empty strings of whole Unicode characters, at most 512 UTF-8 bytes, without control characters.',
      ...options,
    });
  }
}

/** Surface or operation options are malformed. */
export class InvalidOptionsError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions & { path: string }) {
    super('STATEPROOF_INVALID_OPTIONS', message, options);
  }
}

/** A value schema is not a valid JSON Schema. */
export class InvalidSchemaError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions & { path: string }) {
    super('STATEPROOF_INVALID_SCHEMA', message, {
      hint: 'Pass a TypeBox schema (or any draft-07 JSON Schema) that ajv can compile.',
      ...options,
    });
  }
}

/** The class is not allowed for the kind. */
export class ClassNotAllowedError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_CLASS_NOT_ALLOWED', message, options);
  }
}

/** An encoded value exceeds the surface limit. */
export class ValueTooLargeError extends StateproofError {
  constructor(bytes: number, limit: number, surfaceId: string) {
    super(
      'STATEPROOF_VALUE_TOO_LARGE',
      `value of ${bytes} bytes exceeds the ${limit}-byte limit of surface "${surfaceId}"`,
      {
        path: '',
        details: { bytes, limit, surfaceId },
        hint: 'Store large blobs elsewhere and keep a reference, or raise maxValueBytes on the surface.',
      },
    );
  }
}

/** A stored value's envelope does not match the reader. */
export class EnvelopeMismatchError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_ENVELOPE_MISMATCH', message, options);
  }
}

/** A stored value has no readable envelope. */
export class EnvelopeCorruptError extends StateproofError {
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_ENVELOPE_CORRUPT', message, {
      hint: 'The value was not written by stateproof, or was damaged; restore it or delete the key.',
      ...options,
    });
  }
}
