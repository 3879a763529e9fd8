import type { EnqueueSpec } from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import { sqlLiteral } from '../db/sql-names.js';
import type { PgQueueContext } from './pg-store-context.js';

/**
 * Enqueues `specs` in one statement, all or none: each task gets the next id of the schema's
 * sequence; an idempotency key another task (or an earlier item of the batch) has answers with
 * that task instead; one NOTIFY wakes waiting workers when `ctx.notify` is on. `maxAttempts` is the
 * surface's default for items that do not say.
 */
export async function enqueueTasks(
  ctx: PgQueueContext,
  maxAttempts: number,
  specs: readonly EnqueueSpec[],
): Promise<Array<{ id: string; deduped: boolean }>> {
  const nextId = `nextval(${sqlLiteral(`${ctx.s}.task_ids`)}::regclass)`;
  const [space, channel] = await Promise.all([ctx.spaceId(), ctx.channel()]);
  if (specs.every((spec) => spec.idempotencyKey === undefined))
    return enqueueWithoutKeys(ctx, nextId, space, ctx.notify ? channel : null, maxAttempts, specs);
  // Within the batch, a repeated idempotency key dedupes against its first occurrence.
  const firstByKey = new Map<string, number>();
  const items: EnqueueSpec[] = [];
  const slot: number[] = [];
  for (const spec of specs) {
    const k = spec.idempotencyKey;
    if (k !== undefined && firstByKey.has(k)) {
      slot.push(-1 - (firstByKey.get(k) as number));
      continue;
    }
    if (k !== undefined) firstByKey.set(k, items.length);
    slot.push(items.length);
    items.push(spec);
  }
  const rows = await ctx.db.query<{ ids: string[]; deduped: string[] | null }>(
    'enqueueing tasks',
    // The batch is one JSON array of objects (as graphile-worker's add_jobs takes it): the driver
    // would escape every element of six text arrays, which costs more than the statement.
    `with clock as materialized (select ${NOW} as ms),
     items as (
       select queue, payload, priority, run_at, max_attempts, key collate "C" as key, ord
       from rows from (json_to_recordset($2::json) as (q text, p text, pr integer, r bigint, m integer, k text))
         with ordinality as i(queue, payload, priority, run_at, max_attempts, key, ord)
     ),
     ids as (select ord, ${nextId} as id from (select ord from items order by ord) o),
     k as (
       insert into ${ctx.s}.task_keys (space_id, key, task_id)
       select $1, i.key, ids.id from items i join ids using (ord) where i.key is not null
       on conflict (space_id, key) do nothing
       returning key
     ),
     t as (
       insert into ${ctx.s}.tasks
         (id, space_id, queue, state, payload, priority, run_at, enqueued_at, max_attempts, idempotency_key)
       select ids.id, $1, i.queue, 'queued', i.payload, i.priority, coalesce(i.run_at, (select ms from clock)),
         (select ms from clock), i.max_attempts, i.key
       from items i join ids using (ord)
       where i.key is null or i.key in (select key from k)
       returning id
     ),
     n as (select pg_notify($3, '') from t where $3::text is not null limit 1)
     select coalesce(array_agg(ids.id order by i.ord), '{}') as ids,
            array_agg(i.ord order by i.ord)
              filter (where i.key is not null and i.key not in (select key from k)) as deduped,
            (select count(*) from n) as notified
     from items i join ids using (ord)`,
    [
      space,
      JSON.stringify(
        items.map((i) => ({
          q: i.queue,
          p: i.payload,
          pr: i.priority ?? 0,
          r: i.runAt ?? null,
          m: i.maxAttempts ?? maxAttempts,
          k: i.idempotencyKey ?? null,
        })),
      ),
      ctx.notify ? channel : null,
    ],
    { prepare: true },
  );
  // One row: the ids in batch order, and the positions (from 1) of the items whose key another task had.
  const row = rows[0] as { ids: string[]; deduped: string[] | null };
  const results = row.ids.map((id, i) => ({
    id: String(id),
    deduped: false,
    key: (items[i] as EnqueueSpec).idempotencyKey ?? null,
  }));
  for (const ord of row.deduped ?? []) (results[Number(ord) - 1] as { deduped: boolean }).deduped = true;
  const dupKeys = results.filter((r) => r.deduped).map((r) => r.key as string);
  if (dupKeys.length > 0) {
    // Keys another task already had: answer with that task (committed, so visible now).
    const existing = await ctx.db.query<{ key: string; task_id: string }>(
      'reading idempotency keys',
      `select key, task_id from ${ctx.s}.task_keys where space_id = $1 and key = any($2::text[])`,
      [space, dupKeys],
      { idempotent: true },
    );
    const byKey = new Map(existing.map((e) => [e.key, String(e.task_id)]));
    // A key whose task retention pruned between the two statements is free again: its item is
    // enqueued anew (a task or a dedupe against a newer one), never answered with an id nobody has.
    const vanished = results.filter((r) => r.deduped && !byKey.has(r.key as string));
    if (vanished.length > 0) {
      const again = await enqueueTasks(
        ctx,
        maxAttempts,
        vanished.map((r) => items[results.indexOf(r)] as EnqueueSpec),
      );
      vanished.forEach((r, i) => Object.assign(r, again[i]));
    }
    for (const r of results) if (r.deduped && byKey.has(r.key as string)) r.id = byKey.get(r.key as string) as string;
  }
  return slot.map((i) =>
    i >= 0
      ? { id: (results[i] as { id: string }).id, deduped: (results[i] as { deduped: boolean }).deduped }
      : { id: (results[-1 - i] as { id: string }).id, deduped: true },
  );
}

/**
 * A batch in which no item has an idempotency key (the common case): one prepared statement that
 * inserts the rows as they come out of the JSON parameter, without the key table, the dedupe and
 * the joins by position of the general statement. Ids come from the sequence in batch order, as
 * the rows are read, so the ids sorted are the batch's order.
 */
async function enqueueWithoutKeys(
  ctx: PgQueueContext,
  nextId: string,
  space: number,
  channel: string | null,
  maxAttempts: number,
  specs: readonly EnqueueSpec[],
): Promise<Array<{ id: string; deduped: boolean }>> {
  const rows = await ctx.db.query<{ ids: string[] }>(
    'enqueueing tasks',
    `with clock as materialized (select ${NOW} as ms),
     t as (
       insert into ${ctx.s}.tasks (id, space_id, queue, state, payload, priority, run_at, enqueued_at, max_attempts)
       select ${nextId}, $1, i.q, 'queued', i.p, i.pr, coalesce(i.r, (select ms from clock)), (select ms from clock), i.m
       from json_to_recordset($2::json) as i(q text, p text, pr integer, r bigint, m integer)
       returning id
     ),
     n as (select pg_notify($3, '') where $3::text is not null and exists (select from t))
     select coalesce(array_agg(id order by id), '{}') as ids, (select count(*) from n) as notified from t`,
    [
      space,
      JSON.stringify(
        specs.map((i) => ({
          q: i.queue,
          p: i.payload,
          pr: i.priority ?? 0,
          r: i.runAt ?? null,
          m: i.maxAttempts ?? maxAttempts,
        })),
      ),
      channel,
    ],
    { prepare: true },
  );
  return (rows[0]?.ids ?? []).map((id) => ({ id: String(id), deduped: false }));
}
