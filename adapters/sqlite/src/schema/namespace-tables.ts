import { createHash } from 'node:crypto';

/**
 * The table names of one namespace. A namespace is arbitrary Unicode, so it never appears in SQL:
 * its tables share a prefix made of a readable slug and a hash of the exact namespace string
 * (`sp_<slug>_<hash>_`), which contains only `[a-z0-9_]` and cannot collide with another namespace's.
 */
export interface NamespaceTables {
  /** The prefix every table name of the namespace starts with. */
  readonly prefix: string;
  /** Durable counters per surface (record versions, task order, dataspace revisions, ids). */
  readonly counters: string;
  /** Records. */
  readonly records: string;
  /** Log streams and their last sequence. */
  readonly logStreams: string;
  /** Log entries. */
  readonly logEntries: string;
  /** Committed consumer cursors of logs. */
  readonly logCursors: string;
  /** Claims. */
  readonly claims: string;
  /** Queue tasks. */
  readonly tasks: string;
  /** Dataspace sessions. */
  readonly sessions: string;
  /** Dataspace assertions. */
  readonly assertions: string;
  /** The dataspace change feed, by revision, that subscriptions read. */
  readonly changes: string;
  /** Channel messages: working storage for subscribers in other processes; only the newest rows are kept. */
  readonly channel: string;
  /** The deployment fingerprint registry. */
  readonly deployments: string;
  /** The committed cursor of each derived projection (schema version 2). */
  readonly projections: string;
}

/** The table prefix of `namespace`. */
export function namespacePrefix(namespace: string): string {
  const slug = namespace
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 24);
  const hash = createHash('sha256').update(namespace, 'utf8').digest('hex').slice(0, 12);
  return `sp_${slug ? `${slug}_` : ''}${hash}_`;
}

/** Every table name of `namespace`. */
export function namespaceTables(namespace: string): NamespaceTables {
  const p = namespacePrefix(namespace);
  return {
    prefix: p,
    counters: `${p}counters`,
    records: `${p}records`,
    logStreams: `${p}log_streams`,
    logEntries: `${p}log_entries`,
    logCursors: `${p}log_cursors`,
    claims: `${p}claims`,
    tasks: `${p}tasks`,
    sessions: `${p}ds_sessions`,
    assertions: `${p}ds_assertions`,
    changes: `${p}ds_changes`,
    channel: `${p}channel`,
    deployments: `${p}deployments`,
    projections: `${p}projections`,
  };
}
