import { StateproofError, type StateproofErrorOptions } from '@stateproof/spec';

/** A surface id is malformed. */
export class InvalidIdError extends StateproofError {
  /** `message` says what is wrong with the id; the hint states the rule. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_INVALID_ID', message, {
      hint: 'Use a literal id such as "orders.by-id": non-empty, at most 512 UTF-8 bytes, no control characters.',
      ...options,
    });
  }
}

/** A key, stream, topic, owner, worker or assertion id is malformed. */
export class InvalidKeyError extends StateproofError {
  /** `message` says which key is wrong and how; the hint states the rule. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_INVALID_KEY', message, {
      hint: 'Keys are non-empty strings of whole Unicode characters, at most 512 UTF-8 bytes, without control characters.',
      ...options,
    });
  }
}

/** Surface or operation options are malformed. */
export class InvalidOptionsError extends StateproofError {
  /** `options.path` names the offending option. */
  constructor(message: string, options: StateproofErrorOptions & { path: string }) {
    super('STATEPROOF_INVALID_OPTIONS', message, options);
  }
}

/** A value schema is not a valid JSON Schema. */
export class InvalidSchemaError extends StateproofError {
  /** `options.path` names the option that holds the schema. */
  constructor(message: string, options: StateproofErrorOptions & { path: string }) {
    super('STATEPROOF_INVALID_SCHEMA', message, {
      hint: 'Pass a TypeBox schema (or any draft-07 JSON Schema) that ajv can compile.',
      ...options,
    });
  }
}

/** The class is not allowed for the kind. */
export class ClassNotAllowedError extends StateproofError {
  /** `message` names the class and the kind. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_CLASS_NOT_ALLOWED', message, options);
  }
}

/** An encoded value exceeds the surface limit. */
export class ValueTooLargeError extends StateproofError {
  /** `bytes` is the encoded size, `limit` the surface's maxValueBytes. */
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
  /** `message` names the envelope fields that differ. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_ENVELOPE_MISMATCH', message, options);
  }
}

/** A stored value has no readable envelope. */
export class EnvelopeCorruptError extends StateproofError {
  /** `message` says what could not be read. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_ENVELOPE_CORRUPT', message, {
      hint: 'The value was not written by stateproof, or was damaged; restore it or delete the key.',
      ...options,
    });
  }
}
