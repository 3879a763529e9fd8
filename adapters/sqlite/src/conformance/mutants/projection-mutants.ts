import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type {
  LogBinding,
  LogStore,
  ProjectionCommit,
  ProjectionLogAppend,
  ProjectionRecordWrite,
  RecordBinding,
  RecordStore,
} from '@stateproof/core';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import { SqliteLogStore } from '../../stores/sqlite-log-store.js';
import { SqliteRecordStore } from '../../stores/sqlite-record-store.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/conformance/mutants/projection-mutants.js', import.meta.url).href
  : import.meta.url;

/** The bug a projection mutant has in its projection commit. */
export type ProjectionBug = 'cursor-apart' | 'second-writer' | 'rebuild-skips';

/** How long the cursor-apart commit leaves the writes applied with the cursor not yet moved: a kill lands there often. */
const APART_MS = 20;

/** A projection commit: the writes of a record or a log projection, with their cursor step. */
type Apply<W> = (writes: readonly W[], commit: ProjectionCommit) => Promise<void>;

/**
 * The broken commit, built on the store's own honest one (`apply`) and cursor (`cursor`), so that
 * each mutant is the one bug it names and nothing else:
 * - cursor-apart: the writes commit in one transaction (the cursor left at `from`), the cursor in
 *   another ~20 ms later; a kill between them leaves the batch applied and its entries owed, so
 *   the restarted projector applies them again (PRJ-003);
 * - second-writer: the commit starts from whatever cursor is committed, not from `from`, so a
 *   projector that lost the race applies its batch on top of the winner's (PRJ-003);
 * - rebuild-skips: a reset clears the projection and sets the cursor but drops the batch's writes,
 *   so a rebuild loses the entries of its first batch (PRJ-005).
 */
function brokenApply<W>(bug: ProjectionBug, apply: Apply<W>, cursor: () => Promise<number>): Apply<W> {
  switch (bug) {
    case 'cursor-apart':
      return async (writes, commit) => {
        await apply(writes, { ...commit, to: commit.from });
        await new Promise((resolve) => setTimeout(resolve, APART_MS));
        await apply([], { from: commit.from, to: commit.to });
      };
    case 'second-writer':
      return async (writes, commit) => apply(writes, { ...commit, from: await cursor() });
    case 'rebuild-skips':
      return async (writes, commit) => apply(commit.reset ? [] : writes, commit);
  }
}

/** A record store with the broken projection commit. */
class MutantRecordStore extends SqliteRecordStore {
  private readonly broken: Apply<ProjectionRecordWrite>;
  constructor(ctx: ConstructorParameters<typeof SqliteRecordStore>[0], binding: RecordBinding, bug: ProjectionBug) {
    super(ctx, binding);
    this.broken = brokenApply(
      bug,
      (w, c) => super.applyProjection(w, c),
      () => this.projectionCursor(),
    );
  }
  override applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    return this.broken(writes, commit);
  }
}

/** A log store with the broken projection commit. */
class MutantLogStore extends SqliteLogStore {
  private readonly broken: Apply<ProjectionLogAppend>;
  constructor(ctx: ConstructorParameters<typeof SqliteLogStore>[0], binding: LogBinding, bug: ProjectionBug) {
    super(ctx, binding);
    this.broken = brokenApply(
      bug,
      (w, c) => super.applyProjection(w, c),
      () => this.projectionCursor(),
    );
  }
  override applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    return this.broken(appends, commit);
  }
}

/** The SQLite adapter whose record and log stores commit projections with `bug`. */
class ProjectionMutantSqliteAdapter extends SqliteAdapter {
  constructor(
    options: ConstructorParameters<typeof SqliteAdapter>[0],
    private readonly bug: ProjectionBug,
  ) {
    super(options);
  }
  override async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new MutantRecordStore(this.ctx, binding, this.bug);
  }
  override async openLog(binding: LogBinding): Promise<LogStore> {
    return new MutantLogStore(this.ctx, binding, this.bug);
  }
}

/** The target of the adapter with `bug` over `file` (a new temp file when omitted); crash workers open the same file. */
export function projectionMutantSqliteTarget(args: { bug: ProjectionBug; file?: string }): ConformanceTarget {
  const dir = args.file === undefined ? mkdtempSync(join(tmpdir(), 'stateproof-projection-sqlite-')) : undefined;
  const file = args.file ?? join(dir as string, 'projection.db');
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    name: `mutant:sqlite-projection-${args.bug}`,
    create: ({ namespace, clock }) => new ProjectionMutantSqliteAdapter({ path: file, namespace, clock }, args.bug),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
    spawn: { module: BUILT_MODULE, export: 'projectionMutantSqliteTarget', args: { bug: args.bug, file } },
  };
}

/** Mutants of the SQLite projection commit (memory does not claim derived-projection, so they live here). */
export const SQLITE_PROJECTION_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-projection-cursor-apart',
    kind: 'record',
    bug: 'applyProjection commits the writes in one transaction and the cursor in another, ~20 ms later: a kill between them applies the batch again after the restart',
    breaks: ['PRJ-003'],
    target: () => projectionMutantSqliteTarget({ bug: 'cursor-apart' }),
    // Judged by the crash harness alone, whose kills land between the two transactions (with one
    // worker, kills alone catch it). Not kill-only in truth: a projector racing into the gap, where
    // the writes are applied and the cursor not yet moved, applies the batch again, which the
    // harness's racing workers and the suite's projection-single-writer also show.
    suite: false,
    crash: { kinds: ['record', 'log'], classes: ['derived-projection'], kills: 6 },
  },
  {
    name: 'sqlite-projection-second-writer',
    kind: 'record',
    bug: 'applyProjection does not compare `from` with the committed cursor: a projector that lost the race applies its batch again on top of the winner’s',
    breaks: ['PRJ-003'],
    properties: ['record/projection-single-writer'],
    target: () => projectionMutantSqliteTarget({ bug: 'second-writer' }),
  },
  {
    name: 'sqlite-projection-rebuild-skips',
    kind: 'log',
    bug: "applyProjection with `reset` clears the projection and sets the cursor but drops the batch's writes: a rebuild loses its first batch's entries",
    breaks: ['PRJ-005'],
    properties: ['log/projection-rebuild'],
    target: () => projectionMutantSqliteTarget({ bug: 'rebuild-skips' }),
  },
];
