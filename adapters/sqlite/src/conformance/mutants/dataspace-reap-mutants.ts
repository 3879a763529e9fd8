import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { DataspaceBinding, DataspaceStore } from '@stateproof/core';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import { SqliteDataspaceStore, type SessionRow } from '../../stores/sqlite-dataspace-store.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/conformance/mutants/dataspace-reap-mutants.js', import.meta.url).href
  : import.meta.url;

/**
 * A reaper that keeps, in memory, the sessions its own process opened and reaps only those: a
 * session of a process that was killed is never reaped by anyone else, and its assertions stay
 * until some other session happens to assert one of its ids.
 */
class OwnSessionsReaperStore extends SqliteDataspaceStore {
  private readonly mine = new Set<string>();

  override async openSession(owner: string, leaseMs: number): Promise<{ session: string; expiresAt: number }> {
    const opened = await super.openSession(owner, leaseMs);
    this.mine.add(opened.session);
    return opened;
  }

  protected override deadSessions(now: number): SessionRow[] {
    return super.deadSessions(now).filter((s) => this.mine.has(String(s.id)));
  }
}

/** The SQLite adapter whose dataspaces reap only the sessions this instance opened. */
class OwnSessionsReaperSqliteAdapter extends SqliteAdapter {
  override async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    return new OwnSessionsReaperStore(this.ctx, binding);
  }
}

/** The target of that adapter over `file` (a new temp file when omitted); crash workers open the same file. */
export function ownSessionsReaperSqliteTarget(args: { file?: string } = {}): ConformanceTarget {
  const dir = args.file === undefined ? mkdtempSync(join(tmpdir(), 'stateproof-reaper-sqlite-')) : undefined;
  const file = args.file ?? join(dir as string, 'reaper.db');
  if (dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return {
    name: 'mutant:sqlite-reaps-own-sessions-only',
    create: ({ namespace, clock }) => new OwnSessionsReaperSqliteAdapter({ path: file, namespace, clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
    spawn: { module: BUILT_MODULE, export: 'ownSessionsReaperSqliteTarget', args: { file } },
  };
}

/** Mutants of the SQLite dataspace reaper, caught by the crash harness (DSP-024). */
export const SQLITE_DATASPACE_REAP_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-reaps-own-sessions-only',
    kind: 'dataspace',
    bug: "the reaper reaps only the sessions its own process opened: a killed process's assertions that nobody asserts again are never retracted",
    breaks: ['DSP-024'],
    target: () => ownSessionsReaperSqliteTarget(),
    suite: false,
    // Three kills leave at least one dead incarnation whose lease ends while the others still reap.
    crash: { kinds: ['dataspace'], kills: 3 },
  },
];
