import type Database from 'better-sqlite3';
import type { ClaimOrderKey, QueueBinding, TaskState } from '@stateproof/core/adapter-kit';
import type { StoreContext } from './store-context.js';

/** A task row as SQLite stores it. */
export interface TaskRow {
  id: string;
  seq: number;
  queue: string;
  state: TaskState;
  payload: string;
  priority: number;
  run_at: number;
  enqueued_at: number;
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  cancel_requested: number;
  lease_expires_at: number | null;
  result: string | null;
  last_error: string | null;
  token: string | null;
  started_at: number | null;
  worker: string | null;
  history: string;
}

export type Totals = 'succeeded' | 'failed' | 'canceled' | 'lost';

/** What the claim order compares of a row. */
export function claimOrderOf(r: Pick<TaskRow, 'priority' | 'run_at' | 'seq'>): ClaimOrderKey {
  return { priority: r.priority, runAt: r.run_at, seq: r.seq };
}

/** The columns of a task that the attempt operations need (not the payload nor the result). */
export type AttemptRow = Omit<TaskRow, 'payload' | 'result'>;

const ATTEMPT_COLUMNS =
  'id, seq, queue, state, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, lease_expires_at, last_error, token, started_at, worker, history';

const COLUMNS =
  'id, seq, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, lease_expires_at, result, last_error, token, started_at, worker, history';

/** The prepared statements of one queue surface. */
export interface TaskStatements {
  readonly row: Database.Statement;
  readonly attempt: Database.Statement;
  readonly byKey: Database.Statement;
  readonly insert: Database.Statement;
  readonly running: Database.Statement;
  readonly queued: Database.Statement;
  readonly claim: Database.Statement;
  readonly heartbeat: Database.Statement;
  readonly finish: Database.Statement;
  readonly complete: Database.Statement;
  readonly cancel: Database.Statement;
  readonly requestCancel: Database.Statement;
  readonly reapable: Database.Statement;
}

/** Columns of a new task, as {@link insertTasksSql} lists them (10 parameters a row). */
const INSERT_COLUMNS =
  'space, id, seq, queue, state, payload, priority, run_at, enqueued_at, attempts, max_attempts, idempotency_key, cancel_requested, history';
const INSERT_VALUES = `(?, ?, ?, ?, 'queued', ?, ?, ?, ?, 0, ?, ?, 0, '[]')`;

/** Rows a multi-row INSERT of enqueueMany holds at most: 1,000 parameters, far below SQLite's 32,766. */
export const INSERT_CHUNK = 100;

/**
 * One INSERT of `rows` new tasks, each with the parameters of the single insert (space, id, seq,
 * queue, payload, priority, run_at, enqueued_at, max_attempts, idempotency_key), in that order.
 */
export function insertTasksSql(table: string, rows: number): string {
  return `INSERT INTO ${table} (${INSERT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => INSERT_VALUES).join(', ')}`;
}

/**
 * How enqueueMany splits `n` rows into statements: full chunks of {@link INSERT_CHUNK}, then the rest
 * by powers of two, so that a connection prepares at most eight sizes of the statement.
 */
export function insertChunks(n: number): number[] {
  const sizes: number[] = [];
  let left = n;
  for (; left >= INSERT_CHUNK; left -= INSERT_CHUNK) sizes.push(INSERT_CHUNK);
  for (let size = 64; size >= 1; size >>= 1) if (left >= size) (sizes.push(size), (left -= size));
  return sizes;
}

/** The contract's claim order (QUE-005) as SQL: priority, then due time, then enqueue order. */
export const CLAIM_ORDER = 'priority DESC, run_at, seq';

/**
 * The statements of the queue store over the namespace's task table. `claim` is one `UPDATE …
 * RETURNING` whose subquery picks the due tasks in contract order (priority, due time, enqueue
 * order) within the per-queue limit; the global limit caps `:cap`. `order` is the ORDER BY of the
 * claim of a surface without a per-queue limit (a seam for mutants; the default is the contract's).
 */
export function taskStatements(ctx: StoreContext, binding: QueueBinding, order = CLAIM_ORDER): TaskStatements {
  const t = ctx.tables.tasks;
  const filter = `(:any = 1 OR queue IN (SELECT value FROM json_each(:queues)))`;
  const candidates =
    binding.concurrency.perQueue === undefined
      ? `SELECT id FROM ${t} WHERE space = :space AND state = 'queued' AND run_at <= :now AND ${filter} ORDER BY ${order} LIMIT :cap`
      : `SELECT id FROM (
             SELECT q.id, q.priority, q.run_at, q.seq,
               ROW_NUMBER() OVER (PARTITION BY q.queue ORDER BY q.priority DESC, q.run_at, q.seq) AS rank,
               (SELECT count(*) FROM ${t} r WHERE r.space = :space AND r.state = 'running' AND r.queue = q.queue) AS busy
             FROM ${t} q WHERE q.space = :space AND q.state = 'queued' AND q.run_at <= :now AND ${filter}
           ) WHERE rank + busy <= :perQueue ORDER BY priority DESC, run_at, seq LIMIT :cap`;
  const entry = `json_object('attempt', attempts + 1, 'worker', :worker, 'startedAt', :now, 'endedAt', NULL, 'outcome', 'running', 'error', NULL)`;
  return {
    row: ctx.sql.get(`SELECT ${COLUMNS} FROM ${t} WHERE space = ? AND id = ?`),
    // What the compare-and-set of an attempt needs, without the payload and result (up to a MiB each).
    attempt: ctx.sql.get(`SELECT ${ATTEMPT_COLUMNS} FROM ${t} WHERE space = ? AND id = ?`),
    byKey: ctx.sql.get(`SELECT id FROM ${t} WHERE space = ? AND idempotency_key = ?`),
    insert: ctx.sql.get(insertTasksSql(t, 1)),
    running: ctx.sql.get(`SELECT count(*) AS n FROM ${t} WHERE space = ? AND state = 'running'`),
    queued: ctx.sql.get(`SELECT count(*) AS n FROM ${t} WHERE space = ? AND state = 'queued'`),
    claim: ctx.sql.get(
      `UPDATE ${t} SET state = 'running', attempts = attempts + 1, token = (attempts + 1) || '.' || :nonce, started_at = :now, worker = :worker,
           cancel_requested = 0, lease_expires_at = :lease,
           history = CASE WHEN history = '[]' AND :keep > 0 THEN '[' || ${entry} || ']' WHEN json_array_length(history) >= :keep THEN json_remove(json_insert(history, '$[#]', ${entry}), '$[0]') ELSE json_insert(history, '$[#]', ${entry}) END
         WHERE space = :space AND id IN (${candidates})
         RETURNING id, queue, payload, priority, attempts, max_attempts, token, lease_expires_at, enqueued_at, run_at, seq`,
    ),
    heartbeat: ctx.sql.get(`UPDATE ${t} SET lease_expires_at = ? WHERE space = ? AND id = ?`),
    finish: ctx.sql.get(
      `UPDATE ${t} SET state = ?, history = ?, run_at = ?, result = coalesce(?, result), last_error = coalesce(?, last_error),
           token = NULL, lease_expires_at = NULL, started_at = NULL, worker = NULL, finished_at = ?
         WHERE space = ? AND id = ?`,
    ),
    // The usual completion in one statement: the compare-and-set of `attempt` + attemptLost as its
    // WHERE (running, same token, lease not over at :now), the running attempt ended in place (the
    // claim put it last). Only while the history needs no trimming (at most one entry per attempt,
    // so `attempts <= :keep`); the store falls back to the read and `finish` when no row changed.
    complete: ctx.sql.get(
      `UPDATE ${t} SET state = 'succeeded',
           history = CASE WHEN json_extract(history, '$[#-1].attempt') = attempts
             THEN json_set(history, '$[#-1].endedAt', :now, '$[#-1].outcome', 'succeeded', '$[#-1].error', NULL) ELSE history END,
           result = coalesce(:result, result), token = NULL, lease_expires_at = NULL, started_at = NULL, worker = NULL, finished_at = :now
         WHERE space = :space AND id = :id AND state = 'running' AND token = :token AND lease_expires_at > :now AND attempts <= :keep`,
    ),
    cancel: ctx.sql.get(`UPDATE ${t} SET state = 'canceled', finished_at = ? WHERE space = ? AND id = ?`),
    requestCancel: ctx.sql.get(`UPDATE ${t} SET cancel_requested = 1 WHERE space = ? AND id = ?`),
    reapable: ctx.sql.get(
      `SELECT ${ATTEMPT_COLUMNS} FROM ${t} WHERE space = ? AND state = 'running' AND (lease_expires_at <= ? OR (? IS NOT NULL AND started_at + ? <= ?)) ORDER BY seq`,
    ),
  };
}
