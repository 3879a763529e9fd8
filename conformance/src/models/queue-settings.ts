import type { RetryPolicy } from '@stateproof/spec';

/** The queue settings under test. */
export interface QueueSettings {
  readonly retry: RetryPolicy;
  readonly concurrency: { readonly global?: number; readonly perQueue?: number };
  readonly maxRuntimeMs?: number;
  readonly attemptHistory: number;
}

/** The pinned backoff bounds, computed independently of core: [floor, ceiling] after attempt n. */
export function backoffBounds(p: RetryPolicy, n: number): [number, number] {
  const raw = Math.floor(Math.min(p.maxDelayMs, p.baseDelayMs * p.factor ** (n - 1)));
  return [Math.ceil(raw * (1 - p.jitter)), raw];
}
