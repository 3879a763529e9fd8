import {
  BackendIncompatibleError,
  BackendReadOnlyError,
  BackendUnavailableError,
  SOCKET_ERROR_CODES,
} from '@stateproof/core/adapter-kit';
import { StateproofError } from '@stateproof/spec';

/**
 * What a failed command tells about the write it carried:
 *
 * - `not-sent`: the command never left the client (the connection was down and the offline queue
 *   is off), so nothing ran;
 * - `unknown`: it was sent and the connection broke, or the client stopped waiting, before the
 *   reply came: it may or may not have run (a script runs whole or not at all, never half);
 * - `refused`: the server answered with an error before anything ran (a script is refused whole
 *   on OOM, on a read-only replica, on NOSCRIPT), or the error is not about the connection at all.
 */
export type FailureKind = 'not-sent' | 'unknown' | 'refused';

function messageOf(error: unknown): string {
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(error);
}

/** Classifies a failed command (see {@link FailureKind}). */
export function failureKind(error: unknown): FailureKind {
  const message = messageOf(error);
  const name = (error as { name?: unknown } | null)?.name;
  if (/enableOfflineQueue options is false|cannot be queued during a connection handoff/.test(message))
    return 'not-sent';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENOENT') return 'not-sent';
  if (
    name === 'MaxRetriesPerRequestError' ||
    /Command timed out|Connection is closed|max retries per request/i.test(message) ||
    (typeof code === 'string' && SOCKET_ERROR_CODES.has(code))
  )
    return 'unknown';
  return 'refused';
}

/** True when the error is about the connection (not sent, or sent without a reply). */
export function isConnectionFailure(error: unknown): boolean {
  return failureKind(error) !== 'refused';
}

/** Reply errors that say the server is there but will not run our commands, with what to do. */
const REFUSALS: ReadonlyArray<{
  readonly prefix: string;
  readonly make: (text: string, cause: unknown) => StateproofError;
}> = [
  {
    prefix: 'OOM',
    make: (text, cause) =>
      new BackendUnavailableError(`Redis refused the write for lack of memory (${text}); nothing was applied`, {
        cause,
        hint: 'Raise maxmemory or free memory; stateproof needs maxmemory-policy noeviction and room to write.',
        details: { reply: 'OOM' },
      }),
  },
  {
    prefix: 'READONLY',
    make: (text, cause) =>
      new BackendReadOnlyError(`Redis is a read-only replica (${text}); nothing was applied`, {
        cause,
        hint: 'Point the URL at the primary; after a failover, reconnect to the new primary.',
        details: { reply: 'READONLY' },
      }),
  },
  {
    prefix: 'MISCONF',
    make: (text, cause) =>
      new BackendReadOnlyError(`Redis refuses writes because it cannot persist (${text}); nothing was applied`, {
        cause,
        hint: 'Fix the disk or permissions of the Redis data directory; see the server log.',
        details: { reply: 'MISCONF' },
      }),
  },
  {
    prefix: 'LOADING',
    make: (text, cause) =>
      new BackendUnavailableError(`Redis is loading its data set (${text}); nothing was applied`, {
        cause,
        hint: 'Retry once the server finished loading.',
        details: { reply: 'LOADING' },
      }),
  },
  {
    prefix: 'MASTERDOWN',
    make: (text, cause) =>
      new BackendUnavailableError(`Redis has lost its primary (${text}); nothing was applied`, {
        cause,
        details: { reply: 'MASTERDOWN' },
      }),
  },
  {
    prefix: 'NOAUTH',
    make: (text, cause) =>
      new BackendUnavailableError(`Redis asks for a password (${text})`, {
        cause,
        retryable: false,
        hint: 'Put the password in the URL: redis://:password@host:6379, or redis://user:password@host:6379.',
        details: { reply: 'NOAUTH' },
      }),
  },
  {
    prefix: 'WRONGPASS',
    make: (text, cause) =>
      new BackendUnavailableError(`Redis refused the credentials (${text})`, {
        cause,
        retryable: false,
        hint: 'Check the user and password in the URL.',
        details: { reply: 'WRONGPASS' },
      }),
  },
  {
    prefix: 'NOPERM',
    make: (text, cause) =>
      new BackendUnavailableError(`the Redis user lacks a permission stateproof needs (${text})`, {
        cause,
        retryable: false,
        hint: 'Grant the user EVALSHA, EVAL, TIME and the key pattern of the namespace in its ACL.',
        details: { reply: 'NOPERM' },
      }),
  },
  {
    prefix: 'WRONGTYPE',
    make: (text, cause) =>
      new BackendIncompatibleError(
        `a key in the namespace holds data stateproof did not write (${text}); nothing was applied`,
        {
          cause,
          hint: 'Another program writes into this namespace: give stateproof a namespace of its own.',
          details: { reply: 'WRONGTYPE' },
        },
      ),
  },
];

/**
 * Turns a driver error into the typed error stateproof promises. A connection failure is the
 * retryable STATEPROOF_BACKEND_UNAVAILABLE, which says whether the operation may have run; a refusal
 * names what to change. Stateproof errors pass through; anything else (a bug in a script) is
 * rethrown as it is.
 */
export function toStateproofError(error: unknown, what: string): unknown {
  if (error instanceof StateproofError) return error;
  const text = messageOf(error);
  const kind = failureKind(error);
  if (kind === 'not-sent') {
    return new BackendUnavailableError(`${what}: Redis is not connected (${text}); nothing was sent`, {
      cause: error,
      hint: 'Check that the server is running and reachable, then retry.',
      details: { applied: false },
    });
  }
  if (kind === 'unknown') {
    return new BackendUnavailableError(
      `${what}: the connection to Redis broke before the reply (${text}); the operation ran whole or not at all`,
      {
        cause: error,
        hint: 'Check that the server is running and reachable, then read before you retry: the adapter already retried once with the same operation id and could not learn the outcome.',
        details: { applied: 'unknown' },
      },
    );
  }
  for (const r of REFUSALS) if (text.startsWith(r.prefix)) return r.make(`${what}: ${text}`, error);
  return error;
}
