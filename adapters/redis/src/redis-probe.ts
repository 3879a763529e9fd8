import type { ProbeResult } from '@stateproof/core/adapter-kit';
import { faultOutcomes, judgeClasses, type ClassBarrier, type Fault, type FaultFinding } from '@stateproof/spec';

/** What the probe reads off the live server (CONFIG GET and INFO); `null` where the server would not say. */
export interface RedisSettings {
  /** The server version (INFO server), or null when unknown. */
  readonly version: string | null;
  /** `yes` / `no`, or null when CONFIG is not available (managed services rename or forbid it). */
  readonly appendonly: string | null;
  /** `appendfsync`: `always`, `everysec` or `no`; null when CONFIG is not available. */
  readonly appendfsync: string | null;
  /** `no-appendfsync-on-rewrite`: whether fsync pauses while the AOF is rewritten; null when unknown. */
  readonly noAppendfsyncOnRewrite: string | null;
  /** `maxmemory` in bytes (`0`: no limit); null when unknown. */
  readonly maxmemory: string | null;
  /** `maxmemory-policy`: whether a full server evicts keys; null when unknown. */
  readonly maxmemoryPolicy: string | null;
  /** `save`: the RDB snapshot schedule; null when unknown. */
  readonly save: string | null;
  /** `master` or `slave` (INFO replication). */
  readonly role: string | null;
  /** Replicas connected to this server (INFO replication). */
  readonly connectedReplicas: number;
  /** INFO cluster: cluster_enabled. */
  readonly clusterEnabled: boolean;
  /** INFO server: redis_mode (`standalone`, `cluster`, `sentinel`). */
  readonly mode: string | null;
}

const DURABLE_CLASSES = ['restart-safe-local', 'shared-durable', 'derived-projection'] as const;
const AOF_FIXES = [
  'CONFIG SET appendonly yes',
  'CONFIG SET appendfsync always',
  'CONFIG REWRITE (or the same in redis.conf, so that a restart keeps them)',
];

/**
 * What Redis loses on each fault with these settings, following Redis's own durability rules:
 *
 * - a kill of the application process loses nothing: the data lives in the server;
 * - `appendonly no` logs nothing before it replies: a restart of the server rolls the data set back
 *   to its last snapshot or to nothing, and versions, sequences and tokens are handed out again;
 * - with `appendonly yes` the write reaches the append-only file (the OS) before the reply, so a kill
 *   of the server loses nothing, except under `everysec`, where a stalled fsync postpones the write up
 *   to 2 s while replies go out; an OS crash or power loss keeps every acknowledged write only with
 *   `appendfsync always` and `no-appendfsync-on-rewrite no`;
 * - settings that CONFIG GET cannot read are unverifiable, and certify nothing durable.
 */
export function redisFindings(s: RedisSettings): Record<Fault, FaultFinding> {
  const processKill: FaultFinding = {
    outcome: 'no-loss',
    reason: 'acknowledged writes live in the Redis server, not in the application process',
    fixes: [],
  };
  if (s.appendonly === null) {
    const hidden: FaultFinding = {
      outcome: 'loses-all',
      reason:
        'CONFIG GET is not available, so appendonly, appendfsync and maxmemory-policy cannot be verified; unverifiable settings certify nothing durable',
      fixes: ['allow CONFIG GET for the probe, or run `stateproof probe` as a user that may'],
    };
    return { 'process-kill': processKill, 'backend-kill': hidden, 'os-crash': hidden };
  }
  if (s.appendonly !== 'yes') {
    const lost: FaultFinding = {
      outcome: 'loses-all',
      reason: `appendonly=${s.appendonly}: nothing is logged before a write is acknowledged, so a restart of the server rolls the data set back to its last snapshot${s.save ? ` (save "${s.save}")` : ''} or to nothing, and versions, sequences and tokens are handed out again`,
      fixes: AOF_FIXES,
    };
    return { 'process-kill': processKill, 'backend-kill': lost, 'os-crash': lost };
  }
  const fsync = s.appendfsync;
  const backendKill: FaultFinding =
    fsync === 'everysec'
      ? {
          outcome: 'loses-recent',
          reason:
            'appendfsync=everysec: when an fsync stalls, Redis postpones writing the log for up to 2 s while its replies go out, so even a kill of the server process loses acknowledged writes',
          fixes: ['CONFIG SET appendfsync always', 'CONFIG REWRITE'],
        }
      : {
          outcome: 'no-loss',
          reason: `appendonly=yes, appendfsync=${fsync}: every write reaches the append-only file before its reply leaves the server, and a restart replays it`,
          fixes: [],
        };
  const unsynced: string[] = [];
  const fixes: string[] = [];
  if (fsync !== 'always') {
    unsynced.push(
      `appendfsync=${fsync}: a write is acknowledged before the log reaches the disk; ${fsync === 'everysec' ? 'about a second is lost on an OS crash or power loss' : 'the OS decides when to write it (about 30 s)'}`,
    );
    fixes.push('CONFIG SET appendfsync always');
  }
  if (s.noAppendfsyncOnRewrite === 'yes') {
    unsynced.push(
      'no-appendfsync-on-rewrite=yes: while a rewrite or snapshot runs, appends are not synced even under appendfsync always (up to 30 s lost on an OS crash)',
    );
    fixes.push('CONFIG SET no-appendfsync-on-rewrite no');
  }
  const osCrash: FaultFinding =
    unsynced.length > 0
      ? { outcome: 'loses-recent', reason: unsynced.join('; '), fixes: [...fixes, 'CONFIG REWRITE'] }
      : {
          outcome: 'no-loss',
          reason:
            'appendonly=yes, appendfsync=always, no-appendfsync-on-rewrite=no: every write is synced to the append-only file before its reply leaves the server, so a power loss loses no acknowledged write',
          fixes: [],
        };
  return { 'process-kill': processKill, 'backend-kill': backendKill, 'os-crash': osCrash };
}

/** Conditions besides the faults: a replica, eviction, failover to an asynchronous replica. */
export function redisBarriers(s: RedisSettings): ClassBarrier[] {
  const barriers: ClassBarrier[] = [];
  if (s.role !== null && s.role !== 'master')
    barriers.push({
      classes: DURABLE_CLASSES,
      reason: `role=${s.role}: this is a replica, which refuses writes and may lag its primary`,
      fixes: ['point the URL at the primary'],
    });
  if (s.maxmemoryPolicy !== null && s.maxmemoryPolicy !== 'noeviction')
    barriers.push({
      classes: DURABLE_CLASSES,
      reason: `maxmemory-policy=${s.maxmemoryPolicy}: the server may evict keys it was told to keep`,
      fixes: ['CONFIG SET maxmemory-policy noeviction'],
    });
  if (s.clusterEnabled || s.mode === 'cluster')
    barriers.push({
      classes: ['shared-durable'],
      reason:
        'Redis Cluster: a replica promoted by failover replicates asynchronously, so acknowledged writes can vanish without any crash (the cluster spec admits it)',
      fixes: ['host shared-durable surfaces on a single primary without automatic failover'],
    });
  else if (s.connectedReplicas > 0)
    barriers.push({
      classes: ['shared-durable'],
      reason: `${s.connectedReplicas} replica(s) attached: replication is asynchronous, and a failover (Sentinel, or a manual REPLICAOF) to one of them drops the writes it had not received`,
      fixes: ['host shared-durable surfaces on a primary that no failover will replace'],
    });
  return barriers;
}

/** What the settings certify, by the faults each class must survive (`CLASS_FAULTS` in @stateproof/spec). */
export function certifyRedis(s: RedisSettings, adapter: { name: string; version: string }, at: Date): ProbeResult {
  const findings = redisFindings(s);
  const single = s.connectedReplicas === 0 && !s.clusterEnabled;
  const noEviction = 'maxmemory-policy=noeviction: the server refuses a write rather than drop a key';
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
    faults: faultOutcomes(findings),
    classes: judgeClasses(findings, {
      barriers: redisBarriers(s),
      notes: {
        'restart-safe-local': [noEviction],
        'shared-durable': [
          noEviction,
          single
            ? 'single node, no replica: the data survives as long as this server'
            : 'replicas are attached; their copies are not waited for',
          'state is shared by every process that connects to the server',
        ],
        'derived-projection': [noEviction, 'what a crash loses the projector rebuilds from its source'],
      },
    }),
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
