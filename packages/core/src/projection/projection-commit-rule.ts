import type { ProjectionCommit } from '../adapter/projection-commit.js';
import { ProjectionConflictError } from '../errors/outcome-errors.js';

/**
 * The compare-and-set of a projection commit (spec/contract/classes.md, PRJ-003), which every
 * adapter judges where its writes happen: the conflict to throw, applying nothing, when the
 * committed cursor `current` is not the one the commit starts from; undefined when it may go on.
 */
export function projectionConflict(
  surface: string,
  commit: ProjectionCommit,
  current: number,
): ProjectionConflictError | undefined {
  return current === commit.from ? undefined : new ProjectionConflictError(surface, commit.from, current);
}
