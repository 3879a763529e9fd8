import type { ProbeResult } from '@stateproof/core/adapter-kit';

/** What the probe reads off the live server (CONFIG GET and INFO); `null` where the server would not say. */
export interface RedisSettings {
  readonly version: string | null;
  /** `yes` / `no`, or null when CONFIG is not available (managed services rename or forbid it). */
  readonly appendonly: string | null;
  readonly appendfsync: string | null;
  readonly noAppendfsyncOnRewrite: string | null;
  readonly maxmemory: string | null;
  readonly maxmemoryPolicy: string | null;
  readonly save: string | null;
  /** `master` or `slave` (INFO replication). */
  readonly role: string | null;
  readonly connectedReplicas: number;
  /** INFO cluster: cluster_enabled. */
  readonly clusterEnabled: boolean;
  /** INFO server: redis_mode (`standalone`, `cluster`, `sentinel`). */
  readonly mode: string | null;
}

type ClassVerdict = ProbeResult['classes'][number];

/** The reasons a server's configuration refuses the durable classes, each with the change that fixes it. */
interface Findings {
  /** Refuses every durable class, derived projections included (acknowledged state can vanish or roll back). */
  readonly loses: string[];
  /** Refuses the classes that allow no loss after acknowledgement (restart-safe-local, shared-durable). */
  readonly lossWindow: string[];
  /** Refuses shared-durable only (a failover can drop acknowledged writes). */
  readonly failover: string[];
}

function findings(s: RedisSettings): Findings {
  const loses: string[] = [];
  const lossWindow: string[] = [];
  const failover: string[] = [];
  if (s.appendonly === null) {
    loses.push(
      'CONFIG GET is not available, so appendonly, appendfsync and maxmemory-policy cannot be verified; unverifiable settings certify nothing durable (allow CONFIG GET for the probe, or run `stateproof probe` as a user that may)',
    );
    return { loses, lossWindow, failover };
  }
  if (s.role !== null && s.role !== 'master')
    loses.push(
      `role=${s.role}: this is a replica, which refuses writes and may lag its primary; point the URL at the primary`,
    );
  if (s.appendonly !== 'yes')
    loses.push(
      `appendonly=${s.appendonly}: nothing is logged before a write is acknowledged, so a restart of the server rolls the data set back to its last snapshot${s.save ? ` (save "${s.save}")` : ''} or to nothing, and versions, sequences and tokens are handed out again; to certify: CONFIG SET appendonly yes and CONFIG SET appendfsync always (and in redis.conf)`,
    );
  if (s.maxmemoryPolicy !== null && s.maxmemoryPolicy !== 'noeviction')
    loses.push(
      `maxmemory-policy=${s.maxmemoryPolicy}: the server may evict keys it was told to keep; to certify: CONFIG SET maxmemory-policy noeviction`,
    );
  if (s.appendonly === 'yes') {
    if (s.appendfsync !== 'always')
      lossWindow.push(
        `appendfsync=${s.appendfsync}: a write is acknowledged before the log reaches the disk; ${s.appendfsync === 'everysec' ? 'about a second is lost on an OS crash or power loss, and when an fsync stalls even a kill of the server process loses acknowledged writes' : 'the OS decides when to write it (about 30 s)'}; to certify: CONFIG SET appendfsync always`,
      );
    if (s.noAppendfsyncOnRewrite === 'yes')
      lossWindow.push(
        'no-appendfsync-on-rewrite=yes: while a rewrite or snapshot runs, appends are not synced even under appendfsync always (up to 30 s lost on an OS crash); to certify: CONFIG SET no-appendfsync-on-rewrite no',
      );
  }
  if (s.clusterEnabled || s.mode === 'cluster')
    failover.push(
      'Redis Cluster: a replica promoted by failover replicates asynchronously, so acknowledged writes can vanish without any crash (the cluster spec admits it); certify shared-durable only on a single primary without automatic failover',
    );
  else if (s.connectedReplicas > 0)
    failover.push(
      `${s.connectedReplicas} replica(s) attached: replication is asynchronous, and a failover (Sentinel, or a manual REPLICAOF) to one of them drops the writes it had not received; certify shared-durable only on a primary that no failover will replace`,
    );
  return { loses, lossWindow, failover };
}

/**
 * What the settings certify, with reasons, following Redis's own durability rules:
 *
 * - a reply leaves the server only after its write reached the append-only file, and with
 *   `appendfsync always` after that file was synced: then no acknowledged write is lost to a kill
 *   of the server or a power loss (single node, no replica: losing the disk loses everything);
 * - `everysec` or `no` acknowledge before the sync: a derived projection (rebuildable) survives,
 *   nothing that allows no loss does;
 * - `appendonly no` (nothing or snapshots only) rolls counters back on restart: nothing durable;
 * - an evicting `maxmemory-policy` may drop any key: nothing durable;
 * - failover to an asynchronous replica can drop acknowledged writes: no shared-durable.
 */
export function certifyRedis(s: RedisSettings, adapter: { name: string; version: string }, at: Date): ProbeResult {
  const f = findings(s);
  const single = s.connectedReplicas === 0 && !s.clusterEnabled;
  const logged =
    'appendonly=yes, appendfsync=always, no-appendfsync-on-rewrite=no: every write is synced to the append-only file before its reply leaves the server, so a kill of the server or a power loss loses no acknowledged write';
  const noEviction = 'maxmemory-policy=noeviction: the server refuses a write rather than drop a key';
  const node = single
    ? 'single node, no replica: the data survives as long as this server'
    : 'replicas are attached; their copies are not waited for';
  const localOk = f.loses.length === 0 && f.lossWindow.length === 0;
  const sharedOk = localOk && f.failover.length === 0;
  const projectionOk = f.loses.length === 0;
  const verdict = (cls: ClassVerdict['class'], certified: boolean, ok: string[], refused: string[]): ClassVerdict => ({
    class: cls,
    certified,
    reasons: certified ? ok : refused,
  });
  return {
    probeVersion: 1,
    adapter,
    backend: { name: 'redis', ...(s.version ? { version: s.version } : {}) },
    at: at.toISOString(),
    settings: {
      appendonly: s.appendonly,
      appendfsync: s.appendfsync,
      'no-appendfsync-on-rewrite': s.noAppendfsyncOnRewrite,
      maxmemory: s.maxmemory,
      'maxmemory-policy': s.maxmemoryPolicy,
      save: s.save,
      role: s.role,
      connected_slaves: s.connectedReplicas,
      cluster_enabled: s.clusterEnabled,
      redis_mode: s.mode,
    },
    classes: [
      {
        class: 'ephemeral',
        certified: true,
        reasons: ['a server-backed store keeps at least what the ephemeral class asks (nothing)'],
      },
      verdict(
        'restart-safe-local',
        localOk,
        [logged, noEviction, 'acknowledged writes live in the Redis server, not in the application process'],
        [...f.loses, ...f.lossWindow],
      ),
      verdict(
        'shared-durable',
        sharedOk,
        [logged, noEviction, node, 'state is shared by every process that connects to the server'],
        [...f.loses, ...f.lossWindow, ...f.failover],
      ),
      verdict(
        'derived-projection',
        projectionOk,
        [
          s.appendfsync === 'always' && s.noAppendfsyncOnRewrite !== 'yes'
            ? `${logged}; a projection is rebuildable from its source besides`
            : `appendonly=yes, appendfsync=${s.appendfsync}, and no eviction: a crash loses at most the last writes before the sync, which the projector rebuilds from its source`,
        ],
        f.loses,
      ),
      { class: 'telemetry', certified: true, reasons: ['best effort: bounded by retention, never the authority'] },
    ],
  };
}

/** Parses `INFO` text into its fields. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}
