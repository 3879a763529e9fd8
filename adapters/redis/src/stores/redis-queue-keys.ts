import type { NamespaceKeys, SurfaceKeys } from '../client/key-layout.js';

/**
 * The keys of one queue surface, in the order every queue script takes them (see queue-lua.ts):
 * `keys` are the script's K (fixed structures), `prefixes` the first four of its A (per-task and
 * per-queue structures, completed inside the script with a task id or a queue name).
 */
export interface QueueKeys {
  /** delayed, running, counts, running per queue, queue names, idempotency keys, task id counter, finished. */
  readonly keys: readonly string[];
  /** task hash prefix, history list prefix, ready set prefix, wake-up channel. */
  readonly prefixes: readonly string[];
  /** The channel enqueues publish on (a hint; see waitForTasks). */
  readonly wake: string;
}

/** The keys of the queue surface whose keys are `keys`, in namespace `ns`. */
export function queueKeys(keys: SurfaceKeys, ns: NamespaceKeys): QueueKeys {
  const wake = keys.fixed('wake');
  return {
    keys: [
      keys.fixed('qd'),
      keys.fixed('qr'),
      keys.fixed('qn'),
      keys.fixed('qc'),
      keys.fixed('qs'),
      keys.fixed('qk'),
      // One counter per namespace: task ids are unique within the namespace, and within a surface they
      // increase with every enqueue, so they are the enqueue order.
      ns.fixed('ns:task-ids'),
      // The finished tasks by finish instant: what retention prunes (QUE-037, QUE-038).
      keys.fixed('qf'),
    ],
    prefixes: [keys.prefix('t'), keys.prefix('th'), keys.prefix('rq'), wake],
    wake,
  };
}

/** Magnitudes beyond this (about 317 million years in ms) are ordered as this; Postgres's bigint stops near it too. */
const RUN_AT_LIMIT = 10n ** 19n - 1n;

/**
 * The head of a task's member in its ready set: a 20-digit, order-preserving text of its due time,
 * `1` and 19 digits when it is not negative, `0` and the nines' complement of 19 digits when it is,
 * so that byte order is numeric order. The queue scripts write the same for the due times they
 * compute (`run_key` in queue-lua.ts); the task id follows in 16 digits (the enqueue order).
 */
export function readyHead(runAt: number): string {
  let r = BigInt(runAt);
  if (r > RUN_AT_LIMIT) r = RUN_AT_LIMIT;
  if (r < -RUN_AT_LIMIT) r = -RUN_AT_LIMIT;
  if (r >= 0n) return `1${r.toString().padStart(19, '0')}`;
  const digits = (-r).toString().padStart(19, '0');
  return `0${digits.replace(/[0-9]/g, (d) => String(9 - Number(d)))}`;
}

/** What a lease token carries besides its random part: the attempt it was issued for and its task's maximum attempts. */
export interface TokenAttempt {
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * The attempt a lease token `<attempt>.<maxAttempts>.<random>.<id>` was issued for, or undefined
 * when it is not a token of this store (the script then refuses it anyway).
 */
export function tokenAttempt(token: string): TokenAttempt | undefined {
  const m = /^([1-9][0-9]{0,8})\.([1-9][0-9]{0,8})\./.exec(token);
  return m ? { attempt: Number(m[1]), maxAttempts: Number(m[2]) } : undefined;
}
