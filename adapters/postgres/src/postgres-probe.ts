import type { ProbeResult } from '@stateproof/core/adapter-kit';
import { faultOutcomes, judgeClasses, type Fault, type FaultFinding } from '@stateproof/spec';

/** The server settings the probe reads. */
export interface PostgresSettings {
  /** `server_version`. */
  readonly server_version: string;
  /** `fsync`: whether commits are flushed to disk at all. */
  readonly fsync: string;
  /** `synchronous_commit`: whether a commit waits for its WAL flush. */
  readonly synchronous_commit: string;
  /** `full_page_writes`: whether torn pages can be repaired after an OS crash. */
  readonly full_page_writes: string;
  /** `wal_level`. */
  readonly wal_level: string;
  /** `data_checksums`: whether page checksums detect corruption. */
  readonly data_checksums: string;
  /** `synchronous_standby_names`: the standbys a commit waits for, if any. */
  readonly synchronous_standby_names: string;
  /**
   * `autovacuum`. No durability rests on it, but without it (or a scheduled VACUUM) the dead rows
   * every claim and completion leaves stay in the queue's indexes and claims slow down as they pile
   * up (docs/reliability.md measured 30 times); the probe reports it so an operator sees it.
   */
  readonly autovacuum: string;
}

/** The settings, read through one of the adapter's own connections (so role and database overrides count). */
export const PROBE_SQL = `select current_setting('server_version') as server_version, current_setting('fsync') as fsync,
  current_setting('synchronous_commit') as synchronous_commit, current_setting('full_page_writes') as full_page_writes,
  current_setting('wal_level') as wal_level, current_setting('data_checksums') as data_checksums,
  current_setting('synchronous_standby_names') as synchronous_standby_names, current_setting('autovacuum') as autovacuum`;

const reload = 'SELECT pg_reload_conf()';

/**
 * What Postgres loses on each fault with these settings:
 *
 * - A kill of the application process loses nothing: acknowledged commits live in the server.
 * - `synchronous_commit=off` acknowledges a commit before its WAL is flushed (the WAL writer flushes
 *   it within about 3 x wal_writer_delay), so a crash of the server, or of its host, may lose the
 *   last acknowledged transactions (never corrupt the cluster). Every other value (`on`, `local`,
 *   `remote_write`, `remote_apply`) waits for the local flush.
 * - `fsync=off` or `full_page_writes=off` let an OS crash or power loss corrupt the cluster (lost
 *   writes, torn pages); a kill of the server alone does not, since the OS keeps what was written.
 */
export function postgresFindings(settings: PostgresSettings): Record<Fault, FaultFinding> {
  const sc = settings.synchronous_commit;
  const asyncCommit = sc === 'off';
  const scFix = `ALTER SYSTEM SET synchronous_commit = on; ${reload}; (and ALTER ROLE/DATABASE … RESET synchronous_commit where a role or database overrides it)`;
  const backendKill: FaultFinding = asyncCommit
    ? {
        outcome: 'loses-recent',
        reason:
          'synchronous_commit=off: a commit is acknowledged before its WAL is flushed, so a crash of the server may lose the last acknowledged transactions (about 3 x wal_writer_delay)',
        fixes: [scFix],
      }
    : {
        outcome: 'no-loss',
        reason: `synchronous_commit=${sc}: a commit is acknowledged only after its WAL is flushed, and the server replays the WAL on restart`,
        fixes: [],
      };
  const corruption: string[] = [];
  const fixes: string[] = [];
  if (settings.fsync !== 'on') {
    corruption.push('fsync=off: the WAL is never forced to disk, so an OS crash or power loss can corrupt the cluster');
    fixes.push(`ALTER SYSTEM SET fsync = on; ${reload};`);
  }
  if (settings.full_page_writes !== 'on') {
    corruption.push('full_page_writes=off: an OS crash or power loss can leave torn pages that the WAL cannot repair');
    fixes.push(`ALTER SYSTEM SET full_page_writes = on; ${reload};`);
  }
  const osCrash: FaultFinding =
    corruption.length > 0
      ? { outcome: 'loses-all', reason: corruption.join('; '), fixes: [...fixes, ...(asyncCommit ? [scFix] : [])] }
      : asyncCommit
        ? {
            ...backendKill,
            reason: `${backendKill.reason.replace('a crash of the server', 'an OS crash or power loss')}`,
          }
        : {
            outcome: 'no-loss',
            reason: `synchronous_commit=${sc}, fsync=on, full_page_writes=on: the flushed WAL survives an OS crash or power loss and replays onto whole pages`,
            fixes: [],
          };
  return {
    'process-kill': {
      outcome: 'no-loss',
      reason: 'acknowledged commits live in the Postgres server, not in the application process',
      fixes: [],
    },
    'backend-kill': backendKill,
    'os-crash': osCrash,
  };
}

/** What the settings certify, by the faults each class must survive (`CLASS_FAULTS` in @stateproof/spec). */
export function certify(settings: PostgresSettings, adapter: { name: string; version: string }, at: Date): ProbeResult {
  const findings = postgresFindings(settings);
  return {
    probeVersion: 1,
    adapter,
    backend: { name: 'postgres', version: settings.server_version },
    at: at.toISOString(),
    settings: {
      fsync: settings.fsync,
      synchronous_commit: settings.synchronous_commit,
      full_page_writes: settings.full_page_writes,
      wal_level: settings.wal_level,
      data_checksums: settings.data_checksums,
      synchronous_standby_names: settings.synchronous_standby_names,
      autovacuum: settings.autovacuum,
    },
    faults: faultOutcomes(findings),
    classes: judgeClasses(findings, {
      notes: {
        'shared-durable': ['state is shared by every process that connects to the database'],
        ...(settings.synchronous_commit === 'off'
          ? {
              'derived-projection': [
                'what a crash loses with synchronous_commit=off the projector rebuilds from its source',
              ],
            }
          : {}),
      },
    }),
  };
}
