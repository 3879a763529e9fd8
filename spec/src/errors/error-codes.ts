/**
 * The catalogue of stable error codes. Every error stateproof raises carries one of these codes; the
 * codes are part of the public contract and never change meaning. `retryable` says whether the same
 * call may succeed when repeated unchanged (for example after a connection comes back).
 */
export const ERROR_CODES = {
  // Input that can never be accepted.
  /** Carried by InvalidIdError (core). */
  STATEPROOF_INVALID_ID: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A surface id is not a non-empty string of at most 512 UTF-8 bytes without control characters.',
  },
  /** Carried by InvalidKeyError (core). */
  STATEPROOF_INVALID_KEY: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A key, stream, topic, owner or assertion id is not a non-empty string of at most 512 UTF-8 bytes without control characters.',
  },
  /** Carried by InvalidOptionsError (core). */
  STATEPROOF_INVALID_OPTIONS: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'Surface or operation options are malformed; the error names the offending option.',
  },
  /** Carried by InvalidSchemaError (core). */
  STATEPROOF_INVALID_SCHEMA: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A value schema is not a valid JSON Schema.',
  },
  /** Carried by ClassNotAllowedError (core). */
  STATEPROOF_CLASS_NOT_ALLOWED: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The durability class is not allowed for the surface kind (see the taxonomy).',
  },
  /** Carried by NotIJsonError. */
  STATEPROOF_NOT_IJSON: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A value is not I-JSON (RFC 7493): NaN, Infinity, undefined, BigInt, a function, a class instance or a lone surrogate.',
  },
  /** Carried by ForbiddenPropertyError. */
  STATEPROOF_FORBIDDEN_PROPERTY: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A value holds a property named __proto__, which could pollute prototypes.',
  },
  /** Carried by ValueTooLargeError (core). */
  STATEPROOF_VALUE_TOO_LARGE: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'An encoded value exceeds the surface size limit.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_SCHEMA_VIOLATION: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A value does not satisfy the surface value schema.',
  },
  /** Carried by InvalidDocumentError. */
  STATEPROOF_INVALID_DOCUMENT: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A manifest, inventory, certificate or other document does not match its JSON Schema; the error lists each path.',
  },
  /** Carried by InvalidHistoryError (conformance): a recorded history that cannot be read. */
  STATEPROOF_INVALID_HISTORY: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A recorded history (JSON lines of invoke/ok/fail/info events) is malformed; the error names the line and what is wrong.',
  },
  /** Carried by SelectionError (conformance). */
  STATEPROOF_NOTHING_SELECTED: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A conformance selection (property, kind or class) names something that does not exist or that the adapter does not claim, or runs no property at all; the error lists the valid names.',
  },
  /** Carried by JsonParseError. */
  STATEPROOF_JSON_PARSE: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A JSON text is malformed, has duplicate keys, or holds a number outside the IEEE 754 double range.',
  },
  /** Carried by EnvelopeMismatchError (core). */
  STATEPROOF_ENVELOPE_MISMATCH: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A stored value carries an envelope (kind, app, deployment, fingerprint, codec, schema version) that does not match the reader; it was rejected before decoding.',
  },
  /** Carried by EnvelopeCorruptError (core). */
  STATEPROOF_ENVELOPE_CORRUPT: {
    /** Not retryable: the same input is refused again. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A stored value has no readable envelope.',
  },
  // Semantic outcomes of operations.
  /** Carried by VersionConflictError (core). */
  STATEPROOF_VERSION_CONFLICT: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A compare-and-set write found another version; the error carries the current version.',
  },
  /** Carried by LeaseLostError (core). */
  STATEPROOF_LEASE_LOST: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A write used a lease token or fencing token that is no longer current.',
  },
  /** Carried by CursorRegressionError (core). */
  STATEPROOF_CURSOR_REGRESSION: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A consumer cursor commit would move the cursor backwards.',
  },
  /** Carried by LogTrimmedError (core). */
  STATEPROOF_LOG_TRIMMED: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A log read starts before the oldest retained entry; the error carries the oldest retained sequence.',
  },
  /** Carried by NotFoundError (core). */
  STATEPROOF_NOT_FOUND: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A task, session or claim the operation names does not exist.',
  },
  /** Carried by OwnershipError (core). */
  STATEPROOF_OWNERSHIP: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A dataspace session tried to overwrite or retract an assertion another session owns.',
  },
  /** Carried by SessionExpiredError (core). */
  STATEPROOF_SESSION_EXPIRED: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A dataspace session is closed or its liveness lease expired; its assertions were retracted.',
  },
  /** Carried by InvalidTransitionError (core). */
  STATEPROOF_INVALID_TRANSITION: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The operation is not allowed in the current state (for example completing a terminal task).',
  },
  /** Carried by UnsupportedError (core). */
  STATEPROOF_UNSUPPORTED: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The adapter does not claim this kind, class or feature.',
  },
  /** Carried by ClosedError (core). */
  STATEPROOF_CLOSED: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The adapter, runtime or subscription is closed.',
  },
  /** Carried by BackendUnavailableError (core). */
  STATEPROOF_BACKEND_UNAVAILABLE: {
    /** Retryable: nothing was applied, and the same call may succeed once the backend answers. */
    retryable: true,
    /** What the code means, in one sentence. */
    summary: 'The backend could not be reached or the connection was lost; nothing was applied.',
  },
  /** Carried by BackendIncompatibleError (core). */
  STATEPROOF_BACKEND_INCOMPATIBLE: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The backend holds data of an unknown or newer format.',
  },
  /** Carried by BackendCorruptError (core). */
  STATEPROOF_BACKEND_CORRUPT: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'The backend storage is damaged or is not a database at all (for example a file that is not SQLite); nothing was written to it.',
  },
  /** Carried by BackendReadOnlyError (core). */
  STATEPROOF_BACKEND_READ_ONLY: {
    /** Not retryable: the answer comes from the state or the backend, not the connection. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'The backend storage cannot be written (read-only file, directory or file system); nothing was written to it.',
  },
  // Contract violations; what happens depends on the runtime mode (off, warn, enforce).
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_RUNTIME_DEFINITION: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A non-ephemeral surface was defined after the registry was sealed.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_DUPLICATE_ID: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'Two different surfaces share one id.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_MEMORY_DURABLE: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A durable surface is bound to a memory-backed adapter.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_CLASS_NOT_CERTIFIED: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The adapter cannot certify the surface durability class (capabilities or probe).',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_MANIFEST_MISMATCH: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The runtime surfaces do not match the build-time manifest fingerprint.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_RUNTIME_MISMATCH: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A live peer of the same deployment reports a different manifest fingerprint.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_MISSING_SCOPE: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'The runtime scope (app, deployment) is missing or incomplete.',
  },
  /** A violation of core's VIOLATIONS table: the runtime mode allows, warns or refuses it (ViolationError). */
  STATEPROOF_LOCAL_MULTI_REPLICA: {
    /** Not retryable: repeating does not mend the contract. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A restart-safe-local surface runs in a deployment with more than one replica.',
  },
  /** Carried by ProjectionWriteError (core). */
  STATEPROOF_PROJECTION_WRITE: {
    /** Not retryable: a write from outside the projector is refused every time. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary: 'A derived projection was written outside its projector.',
  },
  /** Carried by ProjectionConflictError (core). */
  STATEPROOF_PROJECTION_CONFLICT: {
    /** Not retryable unchanged: the same stale cursor conflicts again; re-read it first. */
    retryable: false,
    /** What the code means, in one sentence. */
    summary:
      'A projection commit started from a cursor that is no longer the committed one (another projector moved it); nothing was applied.',
  },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error code, in catalogue order. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];
