/** One step of the schema's history; `sql` gets the quoted schema name and returns its statements. */
export interface Migration {
  /** The schema version the step brings the schema to. */
  readonly version: number;
  /** What the step changes, in words. */
  readonly description: string;
  /** The step's statements, for the quoted schema name `s`. */
  readonly sql: (s: string) => readonly string[];
}

/**
 * The schema, as a list of versioned steps applied in order, each exactly once (recorded in
 * `schema_migrations`). Steps are never edited once released; a change is a new step. Keys, ids
 * and names are `collate "C"` so that ordering is UTF-8 byte order, the order of the contract.
 * Times are epoch milliseconds (bigint), from the server clock (see NOW).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'every surface kind, the deployment registry',
    sql: (s) => [
      `create table ${s}.schema_migrations (version integer primary key, description text not null, adapter_version text not null, applied_at timestamptz not null default now())`,
      // Surfaces by scoped keyspace: rows carry a small integer instead of the long space string.
      `create table ${s}.spaces (id integer generated always as identity primary key, kind text not null, space text collate "C" not null, unique (kind, space))`,

      `create sequence ${s}.record_versions as bigint`,
      `create table ${s}.records (space_id integer not null, key text collate "C" not null, value text not null, version bigint not null, expires_at bigint, primary key (space_id, key))`,

      `create table ${s}.log_streams (space_id integer not null, stream text collate "C" not null, last bigint not null, primary key (space_id, stream))`,
      `create table ${s}.log_entries (space_id integer not null, stream text collate "C" not null, seq bigint not null, value text not null, at bigint not null, primary key (space_id, stream, seq))`,
      `create table ${s}.log_cursors (space_id integer not null, stream text collate "C" not null, consumer text collate "C" not null, seq bigint not null, primary key (space_id, stream, consumer))`,

      `create table ${s}.claims (space_id integer not null, key text collate "C" not null, state text not null, holder text, token bigint not null, expires_at bigint,
        acquired_at bigint, renewed_at bigint, completed_at bigint, result text, reason text, takeovers integer not null default 0,
        last_takeover boolean not null default false, primary key (space_id, key))`,

      // The hot table holds queued and running tasks only; finished ones move to tasks_done.
      `create sequence ${s}.task_ids as bigint`,
      `create table ${s}.tasks (id bigint primary key, space_id integer not null, queue text collate "C" not null,
        state text not null check (state in ('queued', 'running')), payload text not null, priority integer not null,
        run_at bigint not null, enqueued_at bigint not null, attempts integer not null default 0, max_attempts integer not null,
        idempotency_key text, cancel_requested boolean not null default false, token text, worker text, started_at bigint,
        lease_expires_at bigint, last_error text, lost integer not null default 0, history jsonb not null default '[]')
        with (fillfactor = 80)`,
      // The claim's index: only available tasks, in claim order.
      `create index tasks_available on ${s}.tasks (space_id, priority desc, run_at, id) where state = 'queued'`,
      // The reaper's index: only running tasks, by lease end.
      `create index tasks_running on ${s}.tasks (space_id, lease_expires_at) where state = 'running'`,
      `create table ${s}.tasks_done (id bigint primary key, space_id integer not null, queue text collate "C" not null,
        state text not null check (state in ('succeeded', 'failed', 'canceled')), payload text not null, priority integer not null,
        run_at bigint not null, enqueued_at bigint not null, attempts integer not null, max_attempts integer not null,
        idempotency_key text, cancel_requested boolean not null, last_error text, lost integer not null, history jsonb not null,
        result text, finished_at bigint not null)`,
      `create index tasks_done_space on ${s}.tasks_done (space_id, state)`,
      // Idempotency keys of every task, live or finished: one place keeps them unique.
      `create table ${s}.task_keys (space_id integer not null, key text collate "C" not null, task_id bigint not null, primary key (space_id, key))`,

      `create sequence ${s}.session_ids as bigint`,
      `create table ${s}.ds_sessions (id bigint primary key, space_id integer not null, owner text not null, expires_at bigint not null,
        state text not null check (state in ('open', 'closed', 'expired')))`,
      `create index ds_sessions_open on ${s}.ds_sessions (space_id, expires_at) where state = 'open'`,
      // One counter row per dataspace: taking it serialises changes, so revisions commit in order.
      `create table ${s}.ds_revisions (space_id integer primary key, revision bigint not null)`,
      `create table ${s}.ds_assertions (space_id integer not null, id text collate "C" not null, value text not null, session_id bigint not null,
        owner text not null, revision bigint not null, primary key (space_id, id))`,
      `create index ds_assertions_session on ${s}.ds_assertions (session_id)`,
      // The change feed subscribers stream from, by revision; pruned behind the newest changes.
      `create table ${s}.ds_changes (space_id integer not null, revision bigint not null, type text not null, id text collate "C" not null,
        value text, session_id bigint not null, owner text not null, reason text, primary key (space_id, revision))`,

      // Channel messages too large for a NOTIFY payload wait here briefly.
      `create table ${s}.channel_payloads (id bigint generated always as identity primary key, created_at bigint not null, body text not null)`,

      `create table ${s}.deployments (app text collate "C" not null, deployment text collate "C" not null, instance text collate "C" not null,
        fingerprint text not null, expires_at bigint not null, primary key (app, deployment, instance))`,
    ],
  },
  {
    version: 2,
    description:
      'queue: the running attempt and a succeeded last attempt live in columns, not in the history JSON; a lease token exactly while running',
    sql: (s) => [
      // A succeeded last attempt: attempt `attempts` by last_worker from last_started_at to finished_at.
      `alter table ${s}.tasks_done add column last_worker text, add column last_started_at bigint`,
      // Running tasks of version 1 carry their running attempt as the history's last entry: it is their columns now.
      // (Rows that processes still on version 1 write meanwhile are read and ended correctly too.)
      `update ${s}.tasks set history = history - (-1) where state = 'running' and jsonb_array_length(history) > 0 and history -> -1 ->> 'outcome' = 'running'`,
      // What every statement already keeps, now enforced: a task has a lease token exactly while it runs. Statements
      // that find a task by id and token then need not say state = 'running', which would let the planner
      // walk the partial index of running tasks instead of the primary key.
      `alter table ${s}.tasks add constraint tasks_token_while_running check ((state = 'running') = (token is not null))`,
    ],
  },
  {
    version: 3,
    description: 'derived projections: the committed cursor of each, in a row its projectors lock',
    sql: (s) => [
      // One row per projection surface (its space): the compare-and-set of a projection commit locks it
      // (select … for update), so two projectors of one projection take turns (spec/contract/classes.md, PRJ-003).
      `create table ${s}.projections (space_id integer primary key, cursor bigint not null)`,
    ],
  },
  {
    version: 4,
    description: 'retention: finished tasks and ended sessions are pruned; the counters keep what was pruned',
    sql: (s) => [
      // What pruning removed from tasks_done, per surface: counters() adds it to what tasks_done still holds
      // (spec/contract/queue.md QUE-038: pruned tasks go on being counted, with their lost attempts).
      `create table ${s}.task_tallies (space_id integer primary key, succeeded bigint not null default 0,
        failed bigint not null default 0, canceled bigint not null default 0, lost bigint not null default 0)`,
      // The prune scans: finished tasks by finish instant, ended sessions by lease end.
      `create index tasks_done_finished on ${s}.tasks_done (space_id, finished_at)`,
      `create index ds_sessions_ended on ${s}.ds_sessions (space_id, expires_at) where state <> 'open'`,
    ],
  },
  {
    version: 5,
    description: 'the claim under a per-queue limit reads the first tasks of each queue, not every due task',
    sql: (s) => [
      // Queued tasks by queue, in claim order within each: a skip scan finds the queues, and the
      // first P due tasks of each are read in order (pg-task-claim.ts).
      `create index tasks_queue_available on ${s}.tasks (space_id, queue, priority desc, run_at, id) where state = 'queued'`,
    ],
  },
];

/** The schema version this adapter writes; a schema with a greater one was made by a newer adapter. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
