import {
  BackendUnavailableError,
  ClosedError,
  LeaseLostError,
  type BeforeLeaseJudgement,
} from '@stateproof/core/adapter-kit';
import { Coalescer, type Outcome } from '@stateproof/core/adapter-kit';
import { NOW } from '../db/server-time.js';
import { explainRefusal } from './pg-attempt-refusal.js';
import { leaseJudged } from './pg-lease-judged.js';
import type { PgSpaceContext } from './pg-store-context.js';
import { DONE_COLUMNS } from './task-sql.js';

/** Completions in flight at once per store, and tasks per completion statement at most. */
const COMPLETE_IN_FLIGHT = 2;
const COMPLETE_BATCH = 1000;

/** The outcome of a call whose task moved (shared: outcomes are read, never changed). */
const DONE: Outcome<void> = Object.freeze({ ok: true, value: undefined });

/** One complete() call waiting for its batch. */
export interface Completion {
  readonly id: string;
  readonly token: string;
  readonly result: string | null;
}

/**
 * The completions of one queue store, batched the way graphile-worker and River batch theirs but
 * without giving up the compare-and-set: the calls made in one turn of the event loop share one
 * statement (at most two such statements in flight; calls made meanwhile wait and go together),
 * each call is answered with its own outcome, and none is acknowledged before the statement committed.
 */
export class PgTaskCompletions {
  private readonly coalescer: Coalescer<Completion, void>;

  constructor(private readonly ctx: PgSpaceContext & { readonly beforeLeaseJudgement?: BeforeLeaseJudgement }) {
    this.coalescer = new Coalescer((items) => this.completeBatch(items), COMPLETE_IN_FLIGHT, COMPLETE_BATCH);
  }

  /** Completes one attempt with the next batch; resolves once its own outcome is known. */
  async submit(completion: Completion): Promise<void> {
    // The test seam delays one write at a time: no batch, so that the delay falls inside this one.
    if (this.ctx.beforeLeaseJudgement) return this.completeOne(await this.ctx.spaceId(), completion);
    return this.coalescer.submit(completion);
  }

  /**
   * The completion of attempts: every task named whose token is its running attempt's and whose
   * lease holds by the server clock at that row moves to tasks_done, found by primary key; the
   * statement returns the ids it moved. The attempt stays in the row's columns (no JSON is written,
   * see task-sql.ts). One task: `$2` its id, `$3` the token, `$4` the result. A batch: `$2` the ids,
   * `$3` a JSON object id → token, `$4` id → result (where there is one); each row finds its own
   * token and result by key (a join with the batch may be planned as a loop over the whole batch
   * for every row).
   */
  private completeSql(batch: boolean): string {
    const match = batch
      ? `t.id = any($2::bigint[]) and t.token = ($3::jsonb ->> t.id::text)`
      : `t.id = $2 and t.token = $3`;
    return `with t as (
         delete from ${this.ctx.s}.tasks t
         where ${match} and t.space_id = $1 and t.lease_expires_at > ${NOW}
         returning t.*
       )
       , done as (
         insert into ${this.ctx.s}.tasks_done
           (${DONE_COLUMNS}, state, lost, history, result, finished_at, last_worker, last_started_at)
         select ${DONE_COLUMNS}, 'succeeded', lost, history, ${batch ? '$4::jsonb ->> id::text' : '$4::text'},
           ${NOW}, worker, started_at
         from t returning id
       )
       select coalesce(array_agg(id), '{}') as ids from done`;
  }

  /** One completion on its own: the compare-and-set, then the reason when it did not hold. */
  private async completeOne(space: number, c: Completion): Promise<void> {
    const rows = await leaseJudged(this.ctx.db, this.ctx.beforeLeaseJudgement, {
      what: 'completing a task',
      write: { kind: 'queue', operation: 'complete', key: c.id },
      lock: {
        sql: `select 1 from ${this.ctx.s}.tasks where space_id = $1 and id = $2 for update`,
        params: [space, c.id],
      },
      judge: (run) => run(this.completeSql(false), [space, c.id, c.token, c.result]),
      options: { prepare: true },
    });
    if (((rows[0]?.['ids'] as string[] | undefined)?.length ?? 0) > 0) return;
    await explainRefusal(this.ctx, space, c.id, c.id, c.token, 'complete');
    throw new LeaseLostError(`complete of task ${c.id}: the attempt changed while it was written`);
  }

  /**
   * Completes the attempts of `items` in one statement ({@link completeSql}). A call whose task did
   * not move is explained on its own (LEASE_LOST or NOT_FOUND, as a single complete would say). A
   * second call for a task already in the batch runs on its own after it, so the two are judged one
   * after the other. A lost connection fails every call of the batch (the statement applied whole or
   * not at all); any other error of the batch statement runs each call on its own, so that each
   * gets its own answer.
   */
  private async completeBatch(items: readonly Completion[]): Promise<Array<Outcome<void>>> {
    const space = await this.ctx.spaceId();
    const first = new Map<string, number>();
    const batch: Completion[] = [];
    items.forEach((c, i) => {
      if (!first.has(c.id)) {
        first.set(c.id, i);
        batch.push(c);
      }
    });
    const settle = (p: Promise<void>): Promise<Outcome<void>> =>
      p.then(
        () => ({ ok: true, value: undefined }),
        (error: unknown) => ({ ok: false, error }),
      );
    if (batch.length === 1 && items.length === 1)
      return [await settle(this.completeOne(space, items[0] as Completion))];
    let done: Set<string> | undefined;
    try {
      const tokens: Record<string, string> = {};
      const results: Record<string, string> = {};
      for (const c of batch) {
        tokens[c.id] = c.token;
        if (c.result !== null) results[c.id] = c.result;
      }
      const rows = await this.ctx.db.query<{ ids: string[] }>(
        'completing tasks',
        this.completeSql(true),
        [space, batch.map((c) => c.id), JSON.stringify(tokens), JSON.stringify(results)],
        { prepare: true },
      );
      done = new Set((rows[0]?.ids ?? []).map(String));
    } catch (error) {
      if (error instanceof BackendUnavailableError || error instanceof ClosedError) throw error;
    }
    // Most calls are answered at once (their task moved); only the others wait for a statement.
    const settled: Array<Outcome<void>> = new Array<Outcome<void>>(items.length).fill(DONE);
    const waits: Array<Promise<void>> = [];
    const later = (i: number, p: Promise<void>) => waits.push(settle(p).then((o) => void (settled[i] = o)));
    items.forEach((c, i) => {
      if (first.get(c.id) !== i) return; // judged below
      if (done === undefined) later(i, this.completeOne(space, c));
      else if (!done.has(c.id))
        later(
          i,
          explainRefusal(this.ctx, space, c.id, c.id, c.token, 'complete').then(() => {
            throw new LeaseLostError(`complete of task ${c.id}: the attempt changed while it was written`);
          }),
        );
    });
    if (waits.length > 0) await Promise.all(waits);
    // Repeated calls for a task of the batch: judged after it, one by one.
    if (first.size < items.length)
      for (const [i, c] of items.entries())
        if (first.get(c.id) !== i) settled[i] = await settle(this.completeOne(space, c));
    return settled;
  }
}
