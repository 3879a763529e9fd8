import { NotFoundError, SessionExpiredError } from '../errors/outcome-errors.js';
import type { SessionState } from './session-expired.js';

/** The verdict on an operation of a session: go ahead, or refuse (reaping the session first when it just expired). */
export type SessionCheck =
  | {
      /** The session may go ahead. */
      readonly live: true;
    }
  | {
      /** The session may not go ahead. */
      readonly live: false;
      /** Whether its lease just ran out, so it must be reaped before the error is thrown. */
      readonly reap: boolean;
      /** The error to throw. */
      readonly error: NotFoundError | SessionExpiredError;
    };

/**
 * Whether session `id` may assert, retract or heartbeat (spec/contract/dataspace.md): an unknown
 * session is NotFoundError; one whose lease ran out (`expired`) is reaped, then SessionExpiredError;
 * a closed or expired one is SessionExpiredError.
 */
export function checkSession(
  id: string,
  session: { readonly state: SessionState } | undefined,
  expired: boolean,
): SessionCheck {
  if (!session) return { live: false, reap: false, error: new NotFoundError(`session ${id}`) };
  if (expired) return { live: false, reap: true, error: new SessionExpiredError(id, 'expired') };
  if (session.state !== 'open') return { live: false, reap: false, error: new SessionExpiredError(id, session.state) };
  return { live: true };
}
