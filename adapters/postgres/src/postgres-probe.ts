import type { ProbeResult } from '@stateproof/core/adapter-kit';

/** The server settings the probe reads. */
export interface PostgresSettings {
  readonly server_version: string;
  readonly fsync: string;
  readonly synchronous_commit: string;
  readonly full_page_writes: string;
  readonly wal_level: string;
  readonly data_checksums: string;
  readonly synchronous_standby_names: string;
}

/** The settings, read through one of the adapter's own connections (so role and database overrides count). */
export const PROBE_SQL = `select current_setting('server_version') as server_version, current_setting('fsync') as fsync,
  current_setting('synchronous_commit') as synchronous_commit, current_setting('full_page_writes') as full_page_writes,
  current_setting('wal_level') as wal_level, current_setting('data_checksums') as data_checksums,
  current_setting('synchronous_standby_names') as synchronous_standby_names`;

/**
 * What the settings certify, with reasons:
 *
 * - `fsync=off` lets an OS crash or power loss corrupt the cluster: nothing durable is certified.
 * - `full_page_writes=off` lets a crash leave torn pages: same.
 * - `synchronous_commit=off` acknowledges a commit before its WAL is flushed, so a server crash may
 *   lose the last acknowledged transactions (never corrupt them): shared-durable is refused, a
 *   derived projection (rebuildable) is still fine. Every other value waits for the local flush.
 */
export function certify(settings: PostgresSettings, adapter: { name: string; version: string }, at: Date): ProbeResult {
  const fsync = settings.fsync === 'on';
  const fpw = settings.full_page_writes === 'on';
  const syncCommit = settings.synchronous_commit !== 'off';
  const corruption: string[] = [];
  if (!fsync) corruption.push('fsync=off: an OS crash or power loss can corrupt the cluster');
  if (!fpw) corruption.push('full_page_writes=off: a crash can leave torn pages');
  const flushes = `synchronous_commit=${settings.synchronous_commit}: a commit is acknowledged only after its WAL is flushed to disk`;
  const lossy =
    'synchronous_commit=off: a server crash may lose the last acknowledged transactions (about 3 x wal_writer_delay)';
  const durable = fsync && fpw && syncCommit;
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
    },
    classes: [
      {
        class: 'ephemeral',
        certified: true,
        reasons: ['a server-backed store keeps at least what the ephemeral class asks (nothing)'],
      },
      {
        class: 'restart-safe-local',
        certified: true,
        reasons: [
          'acknowledged writes live in the Postgres server, not in the application process: killing the process loses none of them',
        ],
      },
      {
        class: 'shared-durable',
        certified: durable,
        reasons: durable
          ? [
              flushes,
              'fsync=on and full_page_writes=on: the WAL survives an OS crash and replays onto whole pages',
              'state is shared by every process that connects to the database',
            ]
          : [...corruption, ...(syncCommit ? [] : [lossy])],
      },
      {
        class: 'derived-projection',
        certified: fsync && fpw,
        reasons:
          fsync && fpw
            ? [
                'the cluster cannot be corrupted by a crash; what a crash loses (if synchronous_commit=off) the projector rebuilds from its source',
              ]
            : corruption,
      },
      { class: 'telemetry', certified: true, reasons: ['best effort: bounded by retention, never the authority'] },
    ],
  };
}
