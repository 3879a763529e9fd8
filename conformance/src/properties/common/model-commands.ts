import fc from 'fast-check';
import type { PropertyEnv } from '../../environment/property-spec.js';

/**
 * fast-check commands for a model-based property. A shrunk command sequence is only replayable with
 * the commands' own replay path (printed in the counterexample as `replayPath`), so it is threaded
 * through from the run options here, once for every model property.
 */
export function modelCommands<M extends object, R>(
  list: Array<fc.Arbitrary<fc.AsyncCommand<M, R>>>,
  env: Pick<PropertyEnv, 'replayPath'>,
  maxCommands: number,
): fc.Arbitrary<Iterable<fc.AsyncCommand<M, R>>> {
  return fc.commands(list, {
    maxCommands,
    size: 'large',
    ...(env.replayPath === undefined ? {} : { replayPath: env.replayPath }),
  });
}
