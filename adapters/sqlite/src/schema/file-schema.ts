/** `PRAGMA application_id` of a stateproof database: "SPQL" in ASCII. Other applications' files are refused. */
export const APPLICATION_ID = 0x5350514c;

/** `PRAGMA user_version`: the version of the file-level tables below. A newer file is refused, an older one migrated. */
export const FILE_SCHEMA_VERSION = 1;

/** The file-level tables: what the file is, and which namespaces it holds at which schema version. */
export const FILE_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS stateproof_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stateproof_namespaces (
  namespace TEXT PRIMARY KEY,
  prefix TEXT NOT NULL UNIQUE,
  schema_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  migrated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;
