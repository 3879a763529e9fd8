import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { DataspaceBinding, DataspaceStore } from '@stateproof/core';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import { SqliteDataspaceStore } from '../../stores/sqlite-dataspace-store.js';
import { sqliteTarget } from '../sqlite-target.js';

/**
 * A glob's literal prefix taken as the text before the first `*` or `?` with `\` kept as an ordinary
 * character: `\*b` narrows to ids starting with `\`, so the id `*b` it matches is never listed.
 */
class BackslashPrefixDataspaceStore extends SqliteDataspaceStore {
  protected override globPrefix(pattern: string): string {
    const stop = Array.from(pattern).findIndex((c) => c === '*' || c === '?');
    return stop === -1 ? pattern : Array.from(pattern).slice(0, stop).join('');
  }
}

/** The SQLite adapter whose dataspaces narrow globs by that prefix. */
class BackslashPrefixSqliteAdapter extends SqliteAdapter {
  override async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    return new BackslashPrefixDataspaceStore(this.ctx, binding);
  }
}

/** The SQLite target with the backslash-blind glob prefix (in process only: no crash workers). */
export function backslashPrefixSqliteTarget(): ConformanceTarget {
  const real = sqliteTarget();
  process.once('exit', () => real.cleanup());
  const { spawn: _spawn, describeBackend: _describe, ...rest } = real;
  return {
    ...rest,
    name: 'mutant:sqlite-glob-prefix-keeps-backslash',
    create: ({ namespace, clock }) => new BackslashPrefixSqliteAdapter({ path: real.file, namespace, clock }),
  };
}

/** Mutants of the SQLite dataspace store's glob narrowing, caught by dataspace/filters. */
export const SQLITE_DATASPACE_GLOB_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-glob-prefix-keeps-backslash',
    kind: 'dataspace',
    bug: 'the key range of a glob filter is its text before the first * or ?, escapes not removed: \\*b narrows to ids starting with \\ and loses the id *b',
    breaks: ['DSP-013'],
    properties: ['dataspace/filters'],
    target: backslashPrefixSqliteTarget,
  },
];
