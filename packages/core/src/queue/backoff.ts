import type { RetryPolicy } from '@stateproof/spec';

/**
 * The retry delay after failed attempt `attempt` (1-based), pinned by the queue contract (QUE):
 *
 *     raw   = min(maxDelayMs, baseDelayMs * factor^(attempt - 1))
 *     delay = raw - floor(raw * jitter * r),  r uniform in [0, 1)
 *
 * so `delay` lies in `(raw * (1 - jitter), raw]` and never exceeds the cap. `random` is injectable
 * for deterministic tests.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const raw = backoffCeiling(policy, attempt);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return raw - Math.floor(raw * policy.jitter * r);
}

/** The delay before jitter: the upper bound of {@link backoffDelay}. */
export function backoffCeiling(policy: RetryPolicy, attempt: number): number {
  const exp = policy.baseDelayMs * Math.pow(policy.factor, Math.max(0, attempt - 1));
  return Math.floor(Math.min(policy.maxDelayMs, Number.isFinite(exp) ? exp : policy.maxDelayMs));
}

/** The lower bound of {@link backoffDelay} (inclusive). */
export function backoffFloor(policy: RetryPolicy, attempt: number): number {
  const raw = backoffCeiling(policy, attempt);
  return raw - Math.floor(raw * policy.jitter * (1 - Number.EPSILON));
}
