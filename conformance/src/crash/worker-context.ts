import type { Runtime } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import type { WorkerConfig, WorkerMessage } from './crash-protocol.js';
import type { CrashSurfaces } from './crash-surfaces.js';

/** What a workload loop gets inside a crash worker. */
export interface WorkerContext {
  readonly config: WorkerConfig;
  readonly rt: Runtime;
  readonly surfaces: Partial<CrashSurfaces>;
  readonly random: () => number;
  /** True once the harness asked the worker to stop: loops finish their operation and return. */
  stopping(): boolean;
  /**
   * Reports the invocation, runs `fn`, and reports its acknowledgement (with `result(value)`) before
   * returning; a typed stateproof error is reported as a failure and yields undefined. After
   * STATEPROOF_BACKEND_UNAVAILABLE (the backend is down or restarting) it pauses before returning.
   */
  run<T>(
    kind: SurfaceKind,
    op: string,
    key: string,
    args: unknown,
    fn: () => Promise<T>,
    result?: (value: T) => unknown,
  ): Promise<T | undefined>;
  /** The code of the last operation that failed, if the last operation failed. */
  lastFailure(): string | undefined;
  pause(ms: number): Promise<void>;
}

/** How long a worker waits after STATEPROOF_BACKEND_UNAVAILABLE before its next operation. */
export const BACKEND_UNAVAILABLE_PAUSE_MS = 100;

/** Sends a message to the harness and resolves once it is written to the IPC channel. */
export function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('a crash worker must run with an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Builds the context of one worker. */
export function workerContext(
  config: WorkerConfig,
  rt: Runtime,
  surfaces: Partial<CrashSurfaces>,
  random: () => number,
  stopping: () => boolean,
): WorkerContext {
  let n = 0;
  let failure: string | undefined;
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const prefix = `w${config.worker}.${config.incarnation}`;
  return {
    config,
    rt,
    surfaces,
    random,
    stopping,
    async run(kind, op, key, args, fn, result) {
      const id = `${prefix}.${++n}`;
      await send({ t: 'invoke', id, kind, op, key, args });
      let value;
      failure = undefined;
      try {
        value = await fn();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('STATEPROOF_')) {
          failure = code;
          await send({ t: 'fail', id, code, message: (error as Error).message });
          // The backend is down (a backend kill): go on once it may be back, without spinning.
          if (code === 'STATEPROOF_BACKEND_UNAVAILABLE') await pause(BACKEND_UNAVAILABLE_PAUSE_MS);
          return undefined;
        }
        throw error;
      }
      await send({ t: 'ack', id, result: result ? result(value) : value });
      return value;
    },
    lastFailure: () => failure,
    pause,
  };
}
