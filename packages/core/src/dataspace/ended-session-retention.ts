/**
 * The retention rule of ended dataspace sessions (DSP-025), once for every adapter. A session that
 * was closed or found expired is kept until its lease end (`expiresAt`, which a close leaves at or
 * after the close) plus `endedSessionsMs`, then may be pruned. An open session is never pruned, even
 * past its lease: the reaper ends it first, retracting its assertions.
 */
export function endedSessionPrunable(
  state: 'open' | 'closed' | 'expired',
  expiresAt: number,
  now: number,
  endedSessionsMs: number,
): boolean {
  return state !== 'open' && expiresAt + endedSessionsMs <= now;
}

/** The lease end at or before which an ended session may be pruned at `now` (for a range scan). */
export function endedSessionCutoff(now: number, endedSessionsMs: number): number {
  return now - endedSessionsMs;
}
