import type { ProbeResult } from '@stateproof/core/adapter-kit';
import { judgeClasses, type Fault, type FaultFinding } from '@stateproof/spec';

/** The settings a probe judges, as read from the live connection. */
export interface SqliteSettings {
  /** Absolute path, or `:memory:`. */
  readonly file: string;
  /** `PRAGMA journal_mode` as the connection reports it. */
  readonly journalMode: string;
  /** `PRAGMA synchronous` as the connection reports it. */
  readonly synchronous: string;
  /** The SQLite library version. */
  readonly sqliteVersion: string;
}

type ClassVerdict = ProbeResult['classes'][number];

const SYNC_FIX = "synchronous: 'full' in sqliteAdapter's options (PRAGMA synchronous=FULL)";
const JOURNAL_FIX = "journalMode: 'wal' in sqliteAdapter's options (PRAGMA journal_mode=WAL)";

/**
 * What SQLite loses on each fault with these settings (SQLite's own rules, sqlite.org/pragma.html and
 * sqlite.org/wal.html). SQLite is embedded: the backend is the application process, so a kill of the
 * backend is a kill of the process.
 *
 * - A file with a real journal (WAL, DELETE, TRUNCATE, PERSIST) keeps every committed transaction
 *   when the process dies, whatever `synchronous` says; `journal_mode=MEMORY` or `OFF` can leave the
 *   file corrupt when the process dies mid-transaction, and `:memory:` keeps nothing.
 * - An OS crash or power loss keeps every acknowledged commit only with `synchronous=FULL` or `EXTRA`
 *   (the journal is synced at each commit). With `NORMAL` in WAL the database stays consistent but the
 *   last commits may roll back; `NORMAL` in a rollback journal, or `OFF`, may corrupt the file.
 */
export function sqliteFindings(s: SqliteSettings): Record<Fault, FaultFinding> {
  const journal = s.journalMode.toLowerCase();
  const sync = s.synchronous.toLowerCase();
  if (s.file === ':memory:') {
    const gone: FaultFinding = {
      outcome: 'loses-all',
      reason: 'the database is in memory (:memory:): nothing outlives the process',
      fixes: ['open a file (sqliteAdapter({ path }))'],
    };
    return { 'process-kill': gone, 'backend-kill': gone, 'os-crash': gone };
  }
  const realJournal = ['wal', 'delete', 'truncate', 'persist'].includes(journal);
  const kill: FaultFinding = realJournal
    ? {
        outcome: 'no-loss',
        reason: `journal_mode=${journal}: a committed transaction survives a kill of the process (SQLite runs inside it)`,
        fixes: [],
      }
    : {
        outcome: 'loses-all',
        reason: `journal_mode=${journal}: a process that dies in the middle of a transaction can leave the file corrupt`,
        fixes: [JOURNAL_FIX],
      };
  const synced = sync === 'full' || sync === 'extra';
  const osCrash: FaultFinding = !realJournal
    ? { ...kill, reason: `${kill.reason}, and so can an OS crash` }
    : synced
      ? {
          outcome: 'no-loss',
          reason: `synchronous=${sync}, journal_mode=${journal}: every commit is synced to disk before it is acknowledged`,
          fixes: [],
        }
      : sync === 'normal' && journal === 'wal'
        ? {
            outcome: 'loses-recent',
            reason:
              'synchronous=normal, journal_mode=wal: the WAL is synced only at checkpoints, so commits acknowledged shortly before an OS crash or power loss may roll back (the file stays consistent)',
            fixes: [SYNC_FIX],
          }
        : {
            outcome: 'loses-all',
            reason: `synchronous=${sync}, journal_mode=${journal}: commits are not synced before they are acknowledged, and an OS crash or power loss may corrupt the file`,
            fixes: journal === 'wal' ? [SYNC_FIX] : [SYNC_FIX, JOURNAL_FIX],
          };
  return { 'process-kill': kill, 'backend-kill': kill, 'os-crash': osCrash };
}

/** What the settings certify, by the faults each class must survive (`CLASS_FAULTS` in @stateproof/spec). */
export function certify(s: SqliteSettings): ClassVerdict[] {
  return judgeClasses(sqliteFindings(s), {
    barriers: [
      {
        classes: ['shared-durable'],
        reason:
          'a SQLite file is shared only by processes on one host and does not outlive the host: replicas on other hosts cannot share it',
        fixes: ['host shared-durable surfaces on Postgres (or on Redis with appendonly yes and appendfsync always)'],
      },
    ],
    notes: {
      'restart-safe-local': [
        'processes on this host share the file (locking and WAL shared memory); replicas on other hosts do not',
      ],
      'derived-projection': ['what a crash loses is rebuilt from the source surface'],
    },
  });
}
