import { StateproofError, type StateproofErrorOptions } from '@stateproof/spec';

/** A compare-and-set write found another version. */
export class VersionConflictError extends StateproofError {
  /** The current version, or null when the key is absent. */
  readonly current: number | null;

  /** `expected` is the version the write required (`absent` for ifAbsent), `current` the one found. */
  constructor(key: string, expected: number | 'absent', current: number | null) {
    super(
      'STATEPROOF_VERSION_CONFLICT',
      `version conflict on "${key}": expected ${expected === 'absent' ? 'no record' : `version ${expected}`}, found ${current === null ? 'no record' : `version ${current}`}`,
      {
        details: { key, expected, current },
        hint: 'Read the record again and retry the write with its current version.',
      },
    );
    this.current = current;
  }
}

/** A lease or fencing token is no longer current. */
export class LeaseLostError extends StateproofError {
  /** `what` names the claim or attempt whose lease was lost. */
  constructor(what: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_LEASE_LOST', `lease lost: ${what}`, {
      hint: 'Another holder may own the work now; stop, and do not write results of this attempt.',
      ...options,
    });
  }
}

/** A cursor commit would move backwards. */
export class CursorRegressionError extends StateproofError {
  /** `current` is the committed cursor, `requested` the sequence that would move it back. */
  constructor(consumer: string, current: number, requested: number) {
    super(
      'STATEPROOF_CURSOR_REGRESSION',
      `cursor of "${consumer}" is at ${current}; committing ${requested} would move it backwards`,
      {
        details: { consumer, current, requested },
        hint: 'Commit a sequence at or after the current cursor, or pass { reset: true } to move it back on purpose.',
      },
    );
  }
}

/** A log read starts before the oldest retained entry. */
export class LogTrimmedError extends StateproofError {
  /** The oldest retained sequence, or null when nothing is retained. */
  readonly oldest: number | null;
  /** The last sequence ever assigned. */
  readonly last: number;

  /** `after` is where the read started; `oldest` and `last` describe what is retained. */
  constructor(stream: string, after: number, oldest: number | null, last: number) {
    super(
      'STATEPROOF_LOG_TRIMMED',
      `log "${stream}": entries after ${after} were removed (trimmed by retention, or cleared by a projection's rebuild); the oldest retained is ${oldest ?? 'none'}`,
      {
        details: { stream, after, oldest, last },
        hint: 'Resynchronise from another source, then read from the oldest retained entry (after = oldest - 1).',
      },
    );
    this.oldest = oldest;
    this.last = last;
  }
}

/** The task, session or claim does not exist. */
export class NotFoundError extends StateproofError {
  /** `what` names the missing object, e.g. `task 42`. */
  constructor(what: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_NOT_FOUND', `${what} does not exist`, options);
  }
}

/** A session tried to change an assertion another session owns. */
export class OwnershipError extends StateproofError {
  /** `id` is the assertion; `owner` and `session` the session that owns it. */
  constructor(id: string, owner: string, session: string) {
    super('STATEPROOF_OWNERSHIP', `assertion "${id}" is owned by "${owner}" (session ${session})`, {
      details: { id, owner, session },
      hint: 'Only the owning session may overwrite or retract an assertion; assert under another id.',
    });
  }
}

/** The session is closed or its lease expired. */
export class SessionExpiredError extends StateproofError {
  /** `state` says how the session ended. */
  constructor(session: string, state: 'closed' | 'expired') {
    super('STATEPROOF_SESSION_EXPIRED', `session ${session} is ${state}; its assertions were retracted`, {
      details: { session, state },
      hint: 'Open a new session and assert again; heartbeat more often than the lease to keep a session alive.',
    });
  }
}

/** The operation is not allowed in the current state. */
export class InvalidTransitionError extends StateproofError {
  /** `message` names the operation and the state that refuses it. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_INVALID_TRANSITION', message, options);
  }
}

/** The adapter does not claim this kind, class or feature. */
export class UnsupportedError extends StateproofError {
  /** `what` names the kind, class or feature; `adapter` the adapter's name. */
  constructor(what: string, adapter: string) {
    super('STATEPROOF_UNSUPPORTED', `${what} is not supported by the ${adapter} adapter`, {
      details: { adapter },
      hint: 'Use an adapter whose capabilities claim it, or drop the option.',
    });
  }
}

/** The adapter, runtime or subscription is closed. */
export class ClosedError extends StateproofError {
  /** `what` names the closed object. */
  constructor(what: string) {
    super('STATEPROOF_CLOSED', `${what} is closed`, { hint: 'Open a new one; closed objects cannot be reused.' });
  }
}

/** The backend could not be reached; nothing was applied. */
export class BackendUnavailableError extends StateproofError {
  /** `message` says what could not be reached; `options.cause` carries the driver's error. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_BACKEND_UNAVAILABLE', message, {
      hint: 'Check that the backend is running and reachable, then retry.',
      ...options,
    });
  }
}

/** The backend holds data of an unknown or newer format. */
export class BackendIncompatibleError extends StateproofError {
  /** `message` says what format was found. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_BACKEND_INCOMPATIBLE', message, options);
  }
}

/** The backend storage is damaged, or is not a database at all; nothing was written to it. */
export class BackendCorruptError extends StateproofError {
  /** `message` names the storage and what is wrong with it. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_BACKEND_CORRUPT', message, {
      hint: 'Check that the path names the right file; restore it from a backup, or move it away to start afresh.',
      ...options,
    });
  }
}

/** The backend storage cannot be written; nothing was written to it. */
export class BackendReadOnlyError extends StateproofError {
  /** `message` names the storage that cannot be written. */
  constructor(message: string, options: StateproofErrorOptions = {}) {
    super('STATEPROOF_BACKEND_READ_ONLY', message, {
      hint: 'Give the process write access to the file and its directory, or choose a writable path.',
      ...options,
    });
  }
}

/** A projection commit started from a cursor that is no longer the committed one: another projector moved it. Nothing was applied. */
export class ProjectionConflictError extends StateproofError {
  /** The committed cursor the commit found. */
  readonly current: number;

  /** `expected` is the cursor the commit started from, `current` the committed one it found. */
  constructor(surface: string, expected: number, current: number) {
    super(
      'STATEPROOF_PROJECTION_CONFLICT',
      `projection "${surface}" is at cursor ${current}, not ${expected}: another projector applied those entries; nothing was applied`,
      {
        details: { surface, expected, current },
        hint: 'Read the cursor again and go on from it (the projector does so by itself); entries up to it are applied.',
      },
    );
    this.current = current;
  }
}

/** A derived projection was written through a handle other than its projector's. Nothing was written. */
export class ProjectionWriteError extends StateproofError {
  /** `operation` names the refused write (put, delete, append). */
  constructor(surface: string, operation: string) {
    super('STATEPROOF_PROJECTION_WRITE', `${operation} on derived projection "${surface}" outside its projector`, {
      details: { surface, operation },
      hint: 'A projection is written only by its projector: runtime.project(projection, { source, stream, project }).',
    });
  }
}
