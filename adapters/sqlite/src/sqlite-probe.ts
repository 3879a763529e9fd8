import type { ProbeResult } from '@stateproof/core/adapter-kit';

/** The settings a probe judges, as read from the live connection. */
export interface SqliteSettings {
  /** Absolute path, or `:memory:`. */
  readonly file: string;
  readonly journalMode: string;
  readonly synchronous: string;
  readonly sqliteVersion: string;
}

type ClassVerdict = ProbeResult['classes'][number];

/**
 * What the settings certify, with reasons (SQLite's own durability rules):
 *
 * - A process crash never loses a committed transaction in a file with a real journal (WAL, DELETE,
 *   TRUNCATE, PERSIST), whatever `synchronous` says. `journal_mode=MEMORY` or `OFF` can leave the file
 *   corrupt when a process dies mid-transaction, and `:memory:` keeps nothing: then nothing durable holds.
 * - An OS crash or power loss keeps every acknowledged commit only with `synchronous=FULL` or
 *   `EXTRA` (the journal is synced at each commit). With `NORMAL`, WAL stays consistent but the last
 *   commits may roll back; with `OFF`, or `NORMAL` in a rollback journal, the file may even corrupt.
 *
 * restart-safe-local allows no loss after acknowledgement, so it needs both; derived-projection
 * survives process kills and is rebuildable from its source, so the first is enough.
 */
export function certify(s: SqliteSettings): ClassVerdict[] {
  const memoryFile = s.file === ':memory:';
  const journal = s.journalMode.toLowerCase();
  const sync = s.synchronous.toLowerCase();
  const realJournal = ['wal', 'delete', 'truncate', 'persist'].includes(journal);
  const survivesProcessCrash = !memoryFile && realJournal;
  const syncedCommits = sync === 'full' || sync === 'extra';
  const crashReason = memoryFile
    ? 'the database is in memory (:memory:): nothing survives the process'
    : realJournal
      ? `journal_mode=${journal}: a committed transaction survives a crash of the process`
      : `journal_mode=${journal}: a process that dies in the middle of a transaction can leave the file corrupt, so this certifies nothing durable`;
  const powerReason = syncedCommits
    ? `synchronous=${sync}: every commit is synced to disk before it is acknowledged, so it also survives an OS crash or power loss`
    : sync === 'normal' && journal === 'wal'
      ? 'synchronous=normal: a process crash loses nothing, but commits acknowledged shortly before an OS crash or power loss may roll back'
      : `synchronous=${sync}: commits are not synced before they are acknowledged; an OS crash or power loss may lose them${journal === 'wal' ? '' : ' or corrupt the file'}`;
  const restartSafe = survivesProcessCrash && syncedCommits;
  return [
    {
      class: 'ephemeral',
      certified: true,
      reasons: ['ephemeral state may be lost at any time, so any working database hosts it'],
    },
    {
      class: 'restart-safe-local',
      certified: restartSafe,
      reasons: restartSafe
        ? [
            crashReason,
            powerReason,
            'processes on this host share the file (locking and WAL shared memory); replicas on other hosts do not',
          ]
        : [
            crashReason,
            powerReason,
            `the class allows no loss of an acknowledged write: use journal_mode=wal with synchronous=full`,
          ],
    },
    {
      class: 'shared-durable',
      certified: false,
      reasons: [
        'a SQLite file is shared only by processes on one host and does not outlive the host: replicas cannot share it; use Postgres',
      ],
    },
    {
      class: 'derived-projection',
      certified: survivesProcessCrash,
      reasons: survivesProcessCrash
        ? [crashReason, 'commits lost to a power loss are rebuilt from the source surface']
        : [crashReason],
    },
    {
      class: 'telemetry',
      certified: true,
      reasons: ['best effort: entries may be lost, and the runtime counts drops'],
    },
  ];
}
