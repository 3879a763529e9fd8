import { Type } from '@sinclair/typebox';
import {
  log,
  record,
  type LogItem,
  type LogSurface,
  type ProjectionView,
  type ProjectionWrite,
  type Projector,
  type RecordSurface,
  type Registry,
  type Runtime,
} from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import type { PropertyEnv } from '../../environment/property-spec.js';

/** The kinds a derived projection may have (spec/src/taxonomy: derived-projection allows record and log). */
export type ProjectionKind = 'record' | 'log';

/** The stream of the source log the properties append to and the projections fold. */
export const SOURCE_STREAM = 'src';

/** The stream a log projection appends to: one entry per source entry. */
export const PROJECTED_STREAM = 'seqs';

/** The keys a record projection spreads the source over: few, so that batches fold into keys written before. */
const KEYS = 5;

/** What a record projection keeps per key: how many source entries it folded and the sum of their sequences. */
export interface FoldedCount {
  readonly count: number;
  readonly sum: number;
}

/** The value of a log projection's entry: the sequence of the source entry it derives from. */
export interface ProjectedSeq {
  readonly seq: number;
}

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

/** The key of source entry `seq` in a record projection. */
export function projectedKey(seq: number): string {
  return `k${seq % KEYS}`;
}

/**
 * A record projection's `project`: per key, the count and sum of the sequences folded into it,
 * starting from what the view says is committed. An entry applied twice or skipped changes both,
 * so the source alone judges the projection.
 */
async function projectCounts(
  entries: readonly LogItem<number>[],
  view: ProjectionView<FoldedCount>,
): Promise<ProjectionWrite<FoldedCount>[]> {
  const next = new Map<string, FoldedCount>();
  for (const e of entries) {
    const key = projectedKey(e.seq);
    const before = next.get(key) ?? (await view.get(key)) ?? { count: 0, sum: 0 };
    next.set(key, { count: before.count + 1, sum: before.sum + e.seq });
  }
  return [...next].map(([put, value]) => ({ put, value }));
}

/** A log projection's `project`: one entry per source entry, naming its sequence, in one stream. */
function projectSequences(entries: readonly LogItem<number>[]): ProjectionWrite<ProjectedSeq>[] {
  return entries.map((e) => ({ append: PROJECTED_STREAM, value: { seq: e.seq } }));
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
  const byKey = new Map<string, { count: number; sum: number }>();
  for (const seq of seqs) {
    const key = projectedKey(seq);
    const c = byKey.get(key) ?? { count: 0, sum: 0 };
    byKey.set(key, { count: c.count + 1, sum: c.sum + seq });
  }
  return [...byKey]
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
