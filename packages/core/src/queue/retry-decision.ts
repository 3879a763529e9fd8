import type { RetryPolicy } from '@stateproof/spec';
import { backoffDelay } from './backoff.js';

/** What becomes of a task after a failed, lost or timed-out attempt. */
export type RetryDecision =
  | {
      /** Queued again for another attempt. */
      readonly state: 'queued';
      /** After this delay, in ms (the pinned backoff). */
      readonly delayMs: number;
    }
  | {
      /** Failed for good. */
      readonly state: 'failed';
    };

/**
 * After attempt `attempts` of a task failed, was lost or timed out: queued again after the pinned
 * backoff while attempts remain (and `retry` is not false), else failed for good.
 */
export function retryDecision(
  policy: RetryPolicy,
  attempts: number,
  maxAttempts: number,
  retry: boolean,
  random: () => number,
): RetryDecision {
  if (retry && attempts < maxAttempts) return { state: 'queued', delayMs: backoffDelay(policy, attempts, random) };
  return { state: 'failed' };
}
