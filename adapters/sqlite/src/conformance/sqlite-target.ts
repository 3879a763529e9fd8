import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget } from '@stateproof/conformance';
import { dropSqliteNamespace } from '../schema/drop-namespace.js';
import { sqliteAdapter } from '../sqlite-adapter.js';
import type { JournalMode, SynchronousLevel } from '../sqlite-options.js';

/** Options of {@link sqliteTarget}. */
export interface SqliteTargetOptions {
  /** The database file (default: `conformance.db` in a new temp directory, removed by `cleanup()`). */
  readonly file?: string;
  /** `PRAGMA synchronous` of every instance (default: the adapter's). */
  readonly synchronous?: SynchronousLevel;
  /** `PRAGMA journal_mode` of every instance (default: the adapter's). */
  readonly journalMode?: JournalMode;
}

/** A conformance target that also knows its file and how to remove what it created. */
export interface SqliteTarget extends ConformanceTarget {
  /** The database file every instance opens. */
  readonly file: string;
  /** Removes the temp directory the target created (nothing when `file` was given). */
  cleanup(): void;
}

/** This module as plain Node imports it: the built file, also when the caller runs the TypeScript source. */
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/conformance/sqlite-target.js', import.meta.url).href
  : import.meta.url;

/**
 * The SQLite adapter as a conformance target: every instance opens one database file, so instances
 * on one namespace share their state like processes on one host, and `dispose` drops the
 * namespace's tables. The suite's manual clock is the adapter's clock. `spawn` lets the crash
 * harness's worker processes open the same file.
 */
export function sqliteTarget(options: SqliteTargetOptions = {}): SqliteTarget {
  const dir = options.file === undefined ? mkdtempSync(join(tmpdir(), 'stateproof-sqlite-')) : undefined;
  const file = options.file ?? join(dir as string, 'conformance.db');
  const settings = {
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    ...(options.journalMode ? { journalMode: options.journalMode } : {}),
  };
  return {
    name: 'sqlite',
    file,
    create: ({ namespace, clock, writeDelay }) =>
      sqliteAdapter({
        path: file,
        namespace,
        clock,
        ...settings,
        ...(writeDelay ? { testHooks: { beforeLeaseJudgement: writeDelay } } : {}),
      }),
    // The delay moves the suite's manual clock inside the write transaction, before the lease is judged.
    writeDelay: true,
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
    describeBackend: async () => {
      const adapter = sqliteAdapter({ path: file, namespace: 'sp-conf-describe', ...settings });
      try {
        const probe = await adapter.probe();
        return {
          name: 'sqlite',
          ...(probe.backend.version ? { version: probe.backend.version } : {}),
          settings: probe.settings,
        };
      } finally {
        await adapter.close();
        dropSqliteNamespace({ path: file, namespace: 'sp-conf-describe' });
      }
    },
    spawn: { module: BUILT_MODULE, export: 'sqliteTarget', args: { file, ...settings } },
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
