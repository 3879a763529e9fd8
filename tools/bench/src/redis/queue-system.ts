import type { Order } from '../postgres/surfaces.js';
import type { Processed } from '../postgres/queue-system.js';

export { handle, type Processed } from '../postgres/queue-system.js';

/** How both queue systems run: the same server, workers and batch sizes. */
export interface RedisQueueSettings {
  /** The benchmark's own server. */
  readonly url: string;
  /** Workers, each looping on its own. */
  readonly workers: number;
  /** Tasks a stateproof worker claims at once; jobs a BullMQ worker runs at once (its `concurrency`). */
  readonly batch: number;
}

/** One queue system under test on one Redis server. */
export interface RedisQueueSystem {
  readonly name: string;
  /** Exactly what this side does, for the notes and the documentation. */
  readonly settings: string;
  /** Connects and prepares (untimed). */
  setup(): Promise<void>;
  /** Enqueues one batch (one call of the system's bulk API). */
  enqueue(payloads: readonly Order[]): Promise<void>;
  /** Runs the workers until `n` tasks were taken and their completions acknowledged. */
  process(n: number): Promise<Processed>;
  /** Checks the queue is drained, then deletes what the round left, so every round starts alike (untimed). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
