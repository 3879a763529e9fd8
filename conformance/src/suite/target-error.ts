import type { Adapter } from '@stateproof/core';
import { isStateproofError } from '@stateproof/spec';
import type { ConformanceTarget, CreateAdapterOptions } from '../environment/conformance-target.js';

/**
 * The adapter under test failed before any check could run: its target's `create()` (or the
 * factory that builds the target) threw an error that is not one of stateproof's. It is the
 * adapter's failure, not the tool's; `cause` holds the original error with its stack.
 */
export class TargetError extends Error {
  /** The message names the step and the target, and repeats the cause's message. */
  constructor(
    /** The target's name (or the module path when there is no target yet). */
    readonly target: string,
    /** What was called: `create()`, or the factory export of a module. */
    readonly step: string,
    /** The error the adapter threw. */
    override readonly cause: unknown,
  ) {
    super(`${step} of the adapter "${target}" threw: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'TargetError';
  }
}

/**
 * Calls `fn` on behalf of the adapter under test. A stateproof error (a typed refusal, an
 * unreachable backend) passes through unchanged; anything else becomes a {@link TargetError}.
 */
export async function callTarget<T>(target: string, step: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isStateproofError(error) || error instanceof TargetError) throw error;
    throw new TargetError(target, step, error);
  }
}

/** `target.create(options)`, with the adapter's own errors reported as a {@link TargetError}. */
export function createTargetAdapter(target: ConformanceTarget, options: CreateAdapterOptions): Promise<Adapter> {
  return callTarget(target.name, 'create()', () => target.create(options));
}
