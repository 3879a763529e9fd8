/**
 * The lease end of an attempt started at `startedAt` and (re)leased at `now` for `leaseMs`: never
 * past the attempt's start plus `maxRuntimeMs`, so no heartbeat keeps an attempt alive beyond its
 * maximum runtime (spec/contract/queue.md, QUE-009 and QUE-011).
 */
export function attemptLeaseEnd(
  startedAt: number,
  now: number,
  leaseMs: number,
  maxRuntimeMs: number | undefined,
): number {
  return maxRuntimeMs === undefined ? now + leaseMs : Math.min(now + leaseMs, startedAt + maxRuntimeMs);
}
