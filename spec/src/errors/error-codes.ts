/**
 * The catalogue of stable error codes. Every error stateproof raises carries one of these codes; the
 * codes are part of the public contract and never change meaning. `retryable` says whether the same
 * call may succeed when repeated unchanged (for example after a connection comes back).
 */
export const ERROR_CODES = {
  // Input that can never be accepted.
  STATEPROOF_INVALID_ID: {
    retryable: false,
    summary: 'A surface id is not a non-empty string of at most 512 UTF-8 bytes without control characters.',
  },
  STATEPROOF_INVALID_KEY: {
    retryable: false,
    summary:
      'A key, stream, topic, owner or assertion id is not a non-empty string of at most 512 UTF-8 bytes without control characters.',
  },
  STATEPROOF_INVALID_OPTIONS: {
    retryable: false,
    summary: 'Surface or operation options are malformed; the error names the offending option.',
  },
  STATEPROOF_INVALID_SCHEMA: { retryable: false, summary: 'A value schema is not a valid JSON Schema.' },
  STATEPROOF_CLASS_NOT_ALLOWED: {
    retryable: false,
    summary: 'The durability class is not allowed for the surface kind (see the taxonomy).',
  },
  STATEPROOF_NOT_IJSON: {
    retryable: false,
    summary:
      'A value is not I-JSON (RFC 7493): NaN, Infinity, undefined, BigInt, a function, a class instance or a lone surrogate.',
  },
  STATEPROOF_FORBIDDEN_PROPERTY: {
    retryable: false,
    summary: 'A value holds a property named __proto__, which could pollute prototypes.',
  },
  STATEPROOF_VALUE_TOO_LARGE: { retryable: false, summary: 'An encoded value exceeds the surface size limit.' },
  STATEPROOF_SCHEMA_VIOLATION: { retryable: false, summary: 'A value does not satisfy the surface value schema.' },
  STATEPROOF_INVALID_DOCUMENT: {
    retryable: false,
    summary:
      'A manifest, inventory, certificate or other document does not match its JSON Schema; the error lists each path.',
  },
  STATEPROOF_NOTHING_SELECTED: {
    retryable: false,
    summary:
      'A conformance selection (property, kind or class) names something that does not exist or that the adapter does not claim, or runs no property at all; the error lists the valid names.',
  },
  STATEPROOF_JSON_PARSE: {
    retryable: false,
    summary: 'A JSON text is malformed, has duplicate keys, or holds a number outside the IEEE 754 double range.',
  },
  STATEPROOF_ENVELOPE_MISMATCH: {
    retryable: false,
    summary:
      'A stored value carries an envelope (kind, app, deployment, fingerprint, codec, schema version) that does not match the reader; it was rejected before decoding.',
  },
  STATEPROOF_ENVELOPE_CORRUPT: { retryable: false, summary: 'A stored value has no readable envelope.' },
  // Semantic outcomes of operations.
  STATEPROOF_VERSION_CONFLICT: {
    retryable: false,
    summary: 'A compare-and-set write found another version; the error carries the current version.',
  },
  STATEPROOF_LEASE_LOST: {
    retryable: false,
    summary: 'A write used a lease token or fencing token that is no longer current.',
  },
  STATEPROOF_CURSOR_REGRESSION: {
    retryable: false,
    summary: 'A consumer cursor commit would move the cursor backwards.',
  },
  STATEPROOF_LOG_TRIMMED: {
    retryable: false,
    summary: 'A log read starts before the oldest retained entry; the error carries the oldest retained sequence.',
  },
  STATEPROOF_NOT_FOUND: { retryable: false, summary: 'A task, session or claim the operation names does not exist.' },
  STATEPROOF_OWNERSHIP: {
    retryable: false,
    summary: 'A dataspace session tried to overwrite or retract an assertion another session owns.',
  },
  STATEPROOF_SESSION_EXPIRED: {
    retryable: false,
    summary: 'A dataspace session is closed or its liveness lease expired; its assertions were retracted.',
  },
  STATEPROOF_INVALID_TRANSITION: {
    retryable: false,
    summary: 'The operation is not allowed in the current state (for example completing a terminal task).',
  },
  STATEPROOF_UNSUPPORTED: { retryable: false, summary: 'The adapter does not claim this kind, class or feature.' },
  STATEPROOF_CLOSED: { retryable: false, summary: 'The adapter, runtime or subscription is closed.' },
  STATEPROOF_BACKEND_UNAVAILABLE: {
    retryable: true,
    summary: 'The backend could not be reached or the connection was lost; nothing was applied.',
  },
  STATEPROOF_BACKEND_INCOMPATIBLE: {
    retryable: false,
    summary: 'The backend holds data of an unknown or newer format.',
  },
  STATEPROOF_BACKEND_CORRUPT: {
    retryable: false,
    summary:
      'The backend storage is damaged or is not a database at all (for example a file that is not SQLite); nothing was written to it.',
  },
  STATEPROOF_BACKEND_READ_ONLY: {
    retryable: false,
    summary:
      'The backend storage cannot be written (read-only file, directory or file system); nothing was written to it.',
  },
  // Contract violations; what happens depends on the runtime mode (off, warn, enforce).
  STATEPROOF_RUNTIME_DEFINITION: {
    retryable: false,
    summary: 'A non-ephemeral surface was defined after the registry was sealed.',
  },
  STATEPROOF_DUPLICATE_ID: { retryable: false, summary: 'Two different surfaces share one id.' },
  STATEPROOF_MEMORY_DURABLE: { retryable: false, summary: 'A durable surface is bound to a memory-backed adapter.' },
  STATEPROOF_CLASS_NOT_CERTIFIED: {
    retryable: false,
    summary: 'The adapter cannot certify the surface durability class (capabilities or probe).',
  },
  STATEPROOF_MANIFEST_MISMATCH: {
    retryable: false,
    summary: 'The runtime surfaces do not match the build-time manifest fingerprint.',
  },
  STATEPROOF_RUNTIME_MISMATCH: {
    retryable: false,
    summary: 'A live peer of the same deployment reports a different manifest fingerprint.',
  },
  STATEPROOF_MISSING_SCOPE: {
    retryable: false,
    summary: 'The runtime scope (app, deployment) is missing or incomplete.',
  },
  STATEPROOF_LOCAL_MULTI_REPLICA: {
    retryable: false,
    summary: 'A restart-safe-local surface runs in a deployment with more than one replica.',
  },
  STATEPROOF_PROJECTION_WRITE: { retryable: false, summary: 'A derived projection was written outside its projector.' },
  STATEPROOF_PROJECTION_CONFLICT: {
    retryable: false,
    summary:
      'A projection commit started from a cursor that is no longer the committed one (another projector moved it); nothing was applied.',
  },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error code, in catalogue order. */
export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];
