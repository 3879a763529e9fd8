/** The states of a dataspace session: `closed` and `expired` are final. */
export type SessionState = 'open' | 'closed' | 'expired';

/** What the liveness rule reads of a session. */
export interface SessionLease {
  /** The session's state. */
  readonly state: SessionState;
  /** Lease end (epoch ms). */
  readonly expiresAt: number;
}

/** Whether an open session's lease has run out at `now`: then it is reaped, its assertions retracted. */
export function sessionExpired(session: SessionLease, now: number): boolean {
  return session.state === 'open' && now >= session.expiresAt;
}
