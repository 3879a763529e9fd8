import type { Adapter } from '@stateproof/core';
import type { SurfaceKind } from '@stateproof/spec';
import { operationRequirements } from './operation-requirements.js';
import { noteOperationError } from './unexpected-operation-error.js';

const OPENERS: ReadonlyMap<PropertyKey, SurfaceKind> = new Map([
  ['openRecord', 'record'],
  ['openLog', 'log'],
  ['openClaim', 'claim'],
  ['openQueue', 'queue'],
  ['openDataspace', 'dataspace'],
  ['openChannel', 'channel'],
]);

/** Calls `method` on `self`, noting any error it throws (synchronously or by rejection) as raised by `kind.operation`. */
function traced(kind: SurfaceKind, operation: string, self: object, method: (...args: unknown[]) => unknown) {
  return (...args: unknown[]): unknown => {
    const note = (error: unknown): never => {
      noteOperationError(error, { kind, operation, requirements: operationRequirements(kind, operation, args) });
      throw error;
    };
    let result: unknown;
    try {
      result = method.apply(self, args);
    } catch (error) {
      return note(error);
    }
    return typeof (result as PromiseLike<unknown> | undefined)?.then === 'function'
      ? Promise.resolve(result).catch(note)
      : result;
  };
}

/** A store whose operations note the errors they throw; everything else is the store itself. */
function traceStore<T extends object>(kind: SurfaceKind, store: T): T {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return traced(kind, property, target, value as (...args: unknown[]) => unknown);
    },
  });
}

/**
 * `adapter` with every store it opens traced: an error a store operation throws is remembered with
 * the operation and the requirements its success is governed by, so that runProperty can attribute
 * an error that escapes a property to the operation that raised it (UnexpectedOperationError). The
 * errors themselves pass unchanged; methods run on the adapter itself (its private state, and
 * `instanceof` for a target's fault hook, still work).
 */
export function traceAdapter<A extends Adapter>(adapter: A): A {
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const kind = OPENERS.get(property);
      if (kind === undefined) return property === 'constructor' ? value : value.bind(target);
      return async (...args: unknown[]) =>
        traceStore(kind, (await (value as (...a: unknown[]) => Promise<object>).apply(target, args)) as object);
    },
  });
}
