/** How the reaper ends a running attempt. */
export interface ReapedAttempt {
  /** `lost` when the lease expired, `timed-out` when the attempt ran past maxRuntimeMs. */
  readonly outcome: 'lost' | 'timed-out';
  /** The error recorded in the attempt history. */
  readonly error: string;
}

/**
 * What the reaper does with a running attempt at `now`: `timed-out` once it ran `maxRuntimeMs`
 * (whatever its lease says), else `lost` once its lease expired; undefined while it may go on.
 */
export function reapAttempt(
  startedAt: number,
  leaseExpiresAt: number,
  now: number,
  maxRuntimeMs: number | undefined,
): ReapedAttempt | undefined {
  if (maxRuntimeMs !== undefined && now >= startedAt + maxRuntimeMs)
    return { outcome: 'timed-out', error: 'maximum runtime exceeded' };
  if (now >= leaseExpiresAt) return { outcome: 'lost', error: 'lease expired' };
  return undefined;
}
