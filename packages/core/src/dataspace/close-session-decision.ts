import { NotFoundError } from '../errors/outcome-errors.js';
import type { SessionState } from './session-expired.js';

/**
 * What closing a session does: `closed` retracts its assertions with reason `closed` and reports
 * them; `expired` reaps a session whose lease ran out (reason `expired`, none reported as retracted
 * by the close); null changes nothing (it had already ended).
 */
export type CloseSessionDecision =
  | {
      /** The session is unknown. */
      readonly error: NotFoundError;
    }
  | {
      /** How the session ends: closed now, reaped as expired, or null when it had already ended. */
      readonly end: 'closed' | 'expired' | null;
    };

/** What closing session `id` does, given its row (undefined when unknown) and whether its lease ran out. */
export function closeSessionDecision(
  id: string,
  session: { readonly state: SessionState } | undefined,
  expired: boolean,
): CloseSessionDecision {
  if (!session) return { error: new NotFoundError(`session ${id}`) };
  if (expired) return { end: 'expired' };
  return { end: session.state === 'open' ? 'closed' : null };
}
