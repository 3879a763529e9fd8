import { createHash } from 'node:crypto';

/**
 * The table names of one namespace. A namespace is arbitrary Unicode, so it never appears in SQL:
 * its tables share a prefix made of a readable slug and a hash of the exact namespace string
 * (`sp_<slug>_<hash>_`), which contains only `[a-z0-9_]` and cannot collide with another namespace's.
 */
export interface NamespaceTables {
  readonly prefix: string;
  readonly counters: string;
  readonly records: string;
  readonly logStreams: string;
  readonly logEntries: string;
  readonly logCursors: string;
  readonly claims: string;
  readonly tasks: string;
  readonly sessions: string;
  readonly assertions: string;
  readonly changes: string;
  readonly channel: string;
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
