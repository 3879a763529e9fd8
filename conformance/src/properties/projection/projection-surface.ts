import { Type } from '@sinclair/typebox';
import {
  log,
  record,
  type LogSurface,
  type Projector,
  type RecordSurface,
  type Registry,
  type Runtime,
} from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import type { PropertyEnv } from '../../environment/property-spec.js';
import {
  foldCounts,
  PROJECTED_STREAM,
  projectCounts,
  projectSequences,
  SOURCE_STREAM,
  type FoldedCount,
  type ProjectedSeq,
} from '../../models/projection-fold-model.js';

export { PROJECTED_STREAM, SOURCE_STREAM, type FoldedCount, type ProjectedSeq };

/** The kinds a derived projection may have (spec/src/taxonomy: derived-projection allows record and log). */
export type ProjectionKind = 'record' | 'log';

/** A source log and a projection of it, as a fixture defines them. */
export type ProjectionSurfaces = readonly [LogSurface<number>, RecordSurface<FoldedCount> | LogSurface<ProjectedSeq>];

/**
 * The source log of the projections: of `env.sourceClass`, the authoritative class the run gives a
 * projection's source (a projection of an ephemeral or telemetry log is refused, PRJ-001).
 * `retention` bounds it, for the rebuild of a trimmed source.
 */
export function defineSource(
  registry: Registry,
  env: PropertyEnv,
  id = 'prj.source',
  retention?: { readonly maxEntries: number },
): LogSurface<number> {
  return log(id, {
    durability: env.sourceClass as DurabilityClass,
    value: Type.Integer(),
    ...(retention ? { retention } : {}),
    registry,
  }) as LogSurface<number>;
}

/** The derived projection of `kind` over `source`, of the class under test (derived-projection). */
export function defineProjection(
  registry: Registry,
  env: PropertyEnv,
  kind: ProjectionKind,
  source: LogSurface<number>,
  id = `prj.${kind}`,
): RecordSurface<FoldedCount> | LogSurface<ProjectedSeq> {
  return kind === 'record'
    ? (record(id, {
        durability: env.cls,
        source,
        value: Type.Object({ count: Type.Integer(), sum: Type.Integer() }),
        registry,
      }) as RecordSurface<FoldedCount>)
    : (log(id, {
        durability: env.cls,
        source,
        value: Type.Object({ seq: Type.Integer() }),
        registry,
      }) as LogSurface<ProjectedSeq>);
}

/** Both surfaces, source first, for `env.fixtures.open`. */
export function defineBoth(registry: Registry, env: PropertyEnv, kind: ProjectionKind): ProjectionSurfaces {
  const source = defineSource(registry, env);
  return [source, defineProjection(registry, env, kind, source)];
}

/** The projector of `projection` on `rt`, `batch` source entries per commit. */
export function projectorOf(
  rt: Runtime,
  [source, projection]: ProjectionSurfaces,
  batch: number,
): Projector<number, unknown> {
  const project = projection.kind === 'record' ? projectCounts : projectSequences;
  return rt.project(projection as never, {
    source,
    stream: SOURCE_STREAM,
    project: project as never,
    batch,
  }) as Projector<number, unknown>;
}

/**
 * The projection as its readers see it, in a comparable form: a record projection's keys with
 * their folded counts (sorted), a log projection's projected sequences in order.
 */
export async function readProjection(rt: Runtime, [, projection]: ProjectionSurfaces): Promise<unknown> {
  if (projection.kind === 'record') {
    const page = await rt.use(projection as RecordSurface<FoldedCount>).list({ limit: 1000 });
    return page.items
      .map((i) => [i.key, i.value.count, i.value.sum] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  // A rebuild empties the stream and its sequences go on (never reused): what it holds starts at `first`.
  const h = rt.use(projection as LogSurface<ProjectedSeq>);
  const { first } = await h.info(PROJECTED_STREAM);
  if (first === null) return [];
  const entries = await h.read(PROJECTED_STREAM, { after: first - 1, limit: 1000 });
  return entries.map((e) => e.value.seq);
}

/**
 * The model: what the projection of `kind` must read after folding each of the source sequences
 * `seqs` exactly once (the fold of the source up to a cursor), in {@link readProjection}'s form.
 */
export function fold(kind: ProjectionKind, seqs: readonly number[]): unknown {
  if (kind === 'log') return [...seqs];
  return [...foldCounts(seqs)]
    .map(([key, c]) => [key, c.count, c.sum] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The fold of the source entries `seqs` up to and including `cursor`. */
export function foldUpTo(kind: ProjectionKind, seqs: readonly number[], cursor: number): unknown {
  return fold(
    kind,
    seqs.filter((s) => s <= cursor),
  );
}

/** Appends `count` entries to the source stream; the values do not matter (the fold reads sequences). */
export async function appendSource(rt: Runtime, source: LogSurface<number>, count: number): Promise<number[]> {
  return rt.use(source).appendBatch(
    SOURCE_STREAM,
    Array.from({ length: count }, (_, i) => i),
  );
}

/** Why a projection property cannot run: the adapter hosts no log of a class a projection's source may have. */
export function sourceApplies(env: PropertyEnv): true | string {
  return env.sourceClass
    ? true
    : 'the adapter hosts no log of an authoritative class (shared-durable or restart-safe-local) its backend can hold, so a derived projection has no source to fold';
}
