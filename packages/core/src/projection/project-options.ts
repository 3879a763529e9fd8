import { InvalidOptionsError } from '../errors/input-errors.js';
import type { LogItem } from '../runtime/handles/log-handle.js';
import { validateKey } from '../scope/validate-key.js';
import { projectionSourceProblem } from '../surface/class-rules.js';
import type { AnySurface, LogSurface, RecordSurface } from '../surface/surface.js';
import { optionalInt, optionObject } from '../validation/option-checks.js';
import type { ProjectionView, ProjectionWrite } from './projection-write.js';

/** The value type of a record or log projection. */
export type ProjectedValue<P> = P extends RecordSurface<infer T> ? T : P extends LogSurface<infer T> ? T : never;

/** Options of `runtime.project` (spec/contract/classes.md). */
export interface ProjectOptions<S, P> {
  /** The source log: the surface the projection names as its `source`. */
  readonly source: LogSurface<S>;
  /** The stream of the source the projection folds. */
  readonly stream: string;
  /**
   * The writes a batch of source entries derives, in order. `view` reads the projection as it is
   * committed before the batch (a record projection's current values); a batch folds its own
   * entries from there. Keep it deterministic: a rebuild runs it again over the same entries and
   * must end where the incremental projection did.
   */
  readonly project: (
    entries: readonly LogItem<S>[],
    view: ProjectionView<P>,
  ) => readonly ProjectionWrite<P>[] | Promise<readonly ProjectionWrite<P>[]>;
  /** Source entries per commit (1..1000, default 100). */
  readonly batch?: number;
  /** How often a started projector looks for new source entries when nothing woke it (default 500 ms). */
  readonly pollMs?: number;
}

/** The options with defaults filled in. */
export interface CheckedProjectOptions<S, P> extends ProjectOptions<S, P> {
  readonly batch: number;
  readonly pollMs: number;
}

/**
 * Checks `runtime.project`'s arguments (PRJ-001): the projection is a derived projection of a kind a
 * projector writes (record, log); the source is the log it names, and not telemetry or ephemeral.
 */
export function checkProjectOptions<S, P>(
  projection: AnySurface,
  options: ProjectOptions<S, P>,
): CheckedProjectOptions<S, P> {
  if (typeof projection !== 'object' || projection === null || !projection.definition)
    throw new InvalidOptionsError('project() takes the projection surface first', { path: 'projection' });
  if (projection.class !== 'derived-projection')
    throw new InvalidOptionsError(
      `project() is for derived-projection surfaces; "${projection.id}" is ${projection.class}`,
      { path: 'projection' },
    );
  const o = optionObject(options, '', ['source', 'stream', 'project', 'batch', 'pollMs']);
  const source = o['source'] as AnySurface | undefined;
  if (typeof source !== 'object' || source === null || !source.definition)
    throw new InvalidOptionsError('source must be the source log surface', { path: 'source' });
  const named = projection.definition.source;
  if (named !== source.id)
    throw new InvalidOptionsError(
      `projection "${projection.id}" names ${named === undefined ? 'no source' : `"${named}"`} as its source, not "${source.id}"`,
      { path: 'source', hint: `Project from the surface the definition names (source: '${named ?? '…'}').` },
    );
  const problem = projectionSourceProblem(source);
  if (problem)
    throw new InvalidOptionsError(`projection "${projection.id}" cannot be projected: ${problem}`, { path: 'source' });
  validateKey(o['stream'], 'stream');
  if (typeof o['project'] !== 'function')
    throw new InvalidOptionsError('project must be a function (entries, view) => writes', { path: 'project' });
  return {
    ...options,
    batch: optionalInt(o['batch'], 'batch', { max: 1000 }) ?? 100,
    pollMs: optionalInt(o['pollMs'], 'pollMs', { max: 3_600_000 }) ?? 500,
  };
}
