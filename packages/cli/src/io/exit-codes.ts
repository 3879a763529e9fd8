/** Exit codes of every verb. */
export const EXIT = {
  /** Done, and everything checked passed. */
  ok: 0,
  /** Done, and something checked failed (a verdict, a violation, a mismatch). */
  failed: 1,
  /** The command line or its input is unusable; nothing was checked. */
  usage: 2,
  /** stateproof itself broke; please report it. */
  internal: 3,
  /** The check could not decide in the time it had (check-history: the verdict is unknown). */
  unknown: 4,
} as const;
