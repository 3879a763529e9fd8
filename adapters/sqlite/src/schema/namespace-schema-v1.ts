import type { NamespaceTables } from './namespace-tables.js';

/**
 * Version 1 of a namespace's tables. Keys, streams, ids and topics are TEXT in the database encoding
 * UTF-8 with the default BINARY collation, so that `ORDER BY` and range comparisons follow UTF-8
 * bytes: the contract's key order. Every surface of the namespace shares these tables, separated by
 * the `space` column (the scoped keyspace core builds for the surface).
 */
export function namespaceSchemaV1(t: NamespaceTables): string {
  return `
CREATE TABLE ${t.counters} (
  space TEXT NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (space, name)
) WITHOUT ROWID;

CREATE TABLE ${t.records} (
  space TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  version INTEGER NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (space, key)
) WITHOUT ROWID;
CREATE INDEX ${t.records}_expiry ON ${t.records} (space, expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE ${t.logStreams} (
  space TEXT NOT NULL,
  stream TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (space, stream)
) WITHOUT ROWID;
CREATE TABLE ${t.logEntries} (
  space TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  value TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (space, stream, seq)
) WITHOUT ROWID;
CREATE TABLE ${t.logCursors} (
  space TEXT NOT NULL,
  stream TEXT NOT NULL,
  consumer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (space, stream, consumer)
) WITHOUT ROWID;

CREATE TABLE ${t.claims} (
  space TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT NOT NULL,
  holder TEXT,
  token INTEGER NOT NULL,
  expires_at INTEGER,
  acquired_at INTEGER,
  renewed_at INTEGER,
  completed_at INTEGER,
  result TEXT,
  reason TEXT,
  takeovers INTEGER NOT NULL,
  PRIMARY KEY (space, key)
) WITHOUT ROWID;

CREATE TABLE ${t.tasks} (
  space TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  queue TEXT NOT NULL,
  state TEXT NOT NULL,
  payload TEXT NOT NULL,
  priority INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  idempotency_key TEXT,
  cancel_requested INTEGER NOT NULL,
  lease_expires_at INTEGER,
  result TEXT,
  last_error TEXT,
  token TEXT,
  started_at INTEGER,
  worker TEXT,
  history TEXT NOT NULL,
  PRIMARY KEY (space, id)
) WITHOUT ROWID;
CREATE INDEX ${t.tasks}_queued ON ${t.tasks} (space, priority DESC, run_at, seq) WHERE state = 'queued';
CREATE INDEX ${t.tasks}_running ON ${t.tasks} (space, queue, lease_expires_at) WHERE state = 'running';
CREATE UNIQUE INDEX ${t.tasks}_idempotency ON ${t.tasks} (space, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE ${t.sessions} (
  space TEXT NOT NULL,
  id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (space, id)
) WITHOUT ROWID;
CREATE INDEX ${t.sessions}_open ON ${t.sessions} (space, expires_at) WHERE state = 'open';
CREATE TABLE ${t.assertions} (
  space TEXT NOT NULL,
  id TEXT NOT NULL,
  value TEXT NOT NULL,
  session TEXT NOT NULL,
  owner TEXT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (space, id)
) WITHOUT ROWID;
CREATE INDEX ${t.assertions}_session ON ${t.assertions} (space, session, id);
CREATE TABLE ${t.changes} (
  space TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  value TEXT,
  session TEXT NOT NULL,
  owner TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (space, revision)
) WITHOUT ROWID;

CREATE TABLE ${t.channel} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  space TEXT NOT NULL,
  topic TEXT NOT NULL,
  message TEXT NOT NULL,
  publisher TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX ${t.channel}_space ON ${t.channel} (space, id);

CREATE TABLE ${t.deployments} (
  app TEXT NOT NULL,
  deployment TEXT NOT NULL,
  instance TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (app, deployment, instance)
) WITHOUT ROWID;
`;
}
