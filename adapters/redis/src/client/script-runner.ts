import { randomBytes } from 'node:crypto';
import { BackendUnavailableError, type Clock } from '@stateproof/core/adapter-kit';
import type { NamespaceKeys } from './key-layout.js';
import type { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-connection.js';
import { failureKind, toStateproofError } from './redis-errors.js';

/** Settings of a {@link ScriptRunner}. */
export interface ScriptRunnerSettings {
  /** How long a write's reply is kept under its operation id (ms): the window in which a retry finds it. */
  readonly operationTtlMs: number;
  /** How long a call keeps retrying after the connection broke before it gives up (ms). */
  readonly retryWindowMs: number;
  /** Tests only: the instant scripts use instead of `TIME`. */
  readonly clock: Clock | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the library's scripts with the adapter's answer to a broken connection:
 *
 * - a command that was never sent is sent again once the connection is back;
 * - a read whose reply was lost is run again;
 * - a write whose reply was lost is sent again with the same operation id: the script finds the
 *   reply the first run stored under that id (if it ran) and returns it, so the write is applied
 *   once, and the caller learns its real outcome.
 *
 * Only when the connection does not come back within `retryWindowMs` does the call fail, with the
 * retryable STATEPROOF_BACKEND_UNAVAILABLE. Refusals (OOM, READONLY, …) are never retried.
 */
export class ScriptRunner {
  private readonly opPrefix: string;
  private opCounter = 0;

  constructor(
    private readonly connection: RedisConnection,
    ns: NamespaceKeys,
    private readonly settings: ScriptRunnerSettings,
  ) {
    this.opPrefix = ns.fixed(`op:${randomBytes(9).toString('base64url')}:`);
  }

  private clockArg(): string {
    return this.settings.clock ? String(this.settings.clock.now()) : '';
  }

  /** A fresh operation id's reply key: unique per call (random per runner, then a counter). */
  private nextOpKey(): string {
    return this.opPrefix + (++this.opCounter).toString(36);
  }

  /** Runs a read-only script; `what` names the operation in errors. */
  read(script: LuaScript, what: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.attempt(what, () => this.connection.evalScript(script, keys, [this.clockArg(), ...args]));
  }

  /** Runs a write script under a fresh operation id (see {@link writeScript}). */
  write(
    script: LuaScript,
    what: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const opKey = this.nextOpKey();
    // The clock is read once, so a retried run judges by the same instant as the first.
    const clock = this.clockArg();
    return this.attempt(what, () =>
      this.connection.evalScript(script, [opKey, ...keys], [this.settings.operationTtlMs, clock, ...args]),
    );
  }

  /**
   * Runs `run` with the retry policy above. The usual case (connected, answered at the first try)
   * costs one `.catch` on the driver's promise: no async frame and no timer, since every operation
   * passes here; only a failure enters the retry loop, with the deadline counted from the call.
   */
  private attempt(what: string, run: () => Promise<unknown>): Promise<unknown> {
    const deadline = Date.now() + this.settings.retryWindowMs;
    if (this.connection.client.status !== 'ready') return this.retry(what, run, deadline, 0);
    return run().catch((error: unknown) => this.recover(what, run, deadline, error, 0));
  }

  /** Try number `round` (from 0): waits for the connection if it is not ready, then runs. */
  private async retry(what: string, run: () => Promise<unknown>, deadline: number, round: number): Promise<unknown> {
    try {
      if (this.connection.client.status !== 'ready') await this.connection.ready(Math.max(1, deadline - Date.now()));
      return await run();
    } catch (error) {
      return this.recover(what, run, deadline, error, round);
    }
  }

  /** After try `round` failed with `error`: gives up with a typed error, or backs off and tries again. */
  private async recover(
    what: string,
    run: () => Promise<unknown>,
    deadline: number,
    error: unknown,
    round: number,
  ): Promise<unknown> {
    const kind = error instanceof BackendUnavailableError ? 'not-sent' : failureKind(error);
    if (kind === 'refused' || this.connection.isClosed || Date.now() >= deadline) throw toStateproofError(error, what);
    await sleep(Math.min(10 * 2 ** round, 200));
    return this.retry(what, run, deadline, round + 1);
  }
}
