import { BackendUnavailableError, InvalidOptionsError, SOCKET_ERROR_CODES } from '@stateproof/core/adapter-kit';
import { StateproofError } from '@stateproof/spec';

/**
 * SQLSTATEs of a lost or refused connection: class 08 (connection exception), the 57P0x shutdown
 * family (pg_terminate_backend sends 57P01) and 53300 (too many connections).
 */
function isConnectionState(state: string): boolean {
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300';
}

/** Messages pg raises without a code when a socket ends under it. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|Connection ended|not queryable|timeout expired|Client was closed|Cannot use a pool after calling end/i;

/** SQLSTATEs that say the server is there but refuses us: retrying the same call will not help. */
const PERMANENT: Record<string, string> = {
  '28000': 'Postgres refused the role (no such role, or pg_hba.conf forbids it); check the user in the URL.',
  '28P01': 'Postgres refused the password; check the credentials in the URL.',
  '3D000': 'the database in the URL does not exist; create it or fix the URL.',
  '42501':
    'the role lacks a privilege stateproof needs (CREATE on the database for the schema); grant it or use another role.',
};

/** Serialisation failures and deadlocks: the transaction was rolled back whole and may simply run again. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/** True when `error` says the connection was lost or could not be made. */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof BackendUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (SOCKET_ERROR_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isConnectionState(code)))
  )
    return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}

/**
 * Turns a driver error into the typed error stateproof promises: a lost or refused connection is the
 * retryable STATEPROOF_BACKEND_UNAVAILABLE (not retryable when the server refuses our credentials or
 * database), bytes Postgres cannot store in text are STATEPROOF_INVALID_OPTIONS. Stateproof errors
 * pass through; anything else is a bug and is rethrown as it is.
 */
export function toStateproofError(error: unknown, what: string): unknown {
  if (error instanceof StateproofError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && code in PERMANENT) {
    return new BackendUnavailableError(`${what}: ${text}`, {
      cause: error,
      retryable: false,
      hint: PERMANENT[code] as string,
      details: { sqlstate: code },
    });
  }
  if (isConnectionError(error)) {
    return new BackendUnavailableError(`${what}: the connection to Postgres failed (${text})`, {
      cause: error,
      hint: 'Check that the server is running and reachable, then retry; an operation cut off like this was applied whole or not at all.',
      details: typeof code === 'string' ? { code } : {},
    });
  }
  if (code === '22021' || code === '22P05') {
    return new InvalidOptionsError(`${what}: Postgres cannot store this text (${text})`, {
      path: '',
      cause: error,
      hint: 'Strings must be valid Unicode without NUL characters.',
    });
  }
  return error;
}
