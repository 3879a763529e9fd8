import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { newClient, quoteIdentifier } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

interface Sent {
  readonly text: string;
  readonly values: readonly unknown[];
  /** The prepared statement's name, if it was sent as one. */
  readonly name?: string;
}

/** Runs `fn` while recording the statements every pg client of this process sends (the adapter's too). */
async function recording<T>(fn: () => Promise<T>): Promise<{ value: T; sent: Sent[] }> {
  const proto = Object.getPrototypeOf(newClient({})) as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const sent: Sent[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const a = args[0] as { text?: unknown; values?: unknown; name?: unknown } | string;
    if (typeof a === 'string') sent.push({ text: a, values: Array.isArray(args[1]) ? args[1] : [] });
    else if (a && typeof a.text === 'string')
      sent.push({
        text: a.text,
        values: Array.isArray(a.values) ? a.values : [],
        ...(typeof a.name === 'string' ? { name: a.name } : {}),
      });
    return original.apply(this, args);
  };
  try {
    return { value: await fn(), sent };
  } finally {
    proto.query = original;
  }
}

/** What `p` came to: 'ok', or the error's code. */
function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
}

const completions = (sent: readonly Sent[]) =>
  sent.filter((s) => /delete from .*\.tasks t/s.test(s.text) && s.text.includes('insert into'));

describe.skipIf(!PG_AVAILABLE)('postgres queue: coalesced completions', () => {
  it('completes concurrent calls in one statement, each with its own outcome', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    await store.enqueueMany(Array.from({ length: 6 }, (_, i) => ({ queue: 'q', payload: `p${i}` })));
    const [t1, t2, t3, t4, t5, t6] = await store.claim({ worker: 'w', queues: [], limit: 6, leaseMs: 60_000 });
    const { value, sent } = await recording(() =>
      Promise.all([
        outcome(store.complete(t1!.id, t1!.token, null)),
        outcome(store.complete(t2!.id, t2!.token, '{"n":2}')),
        outcome(store.complete(t3!.id, `${t3!.token}x`, null)), // not its token
        outcome(store.complete('999999', t4!.token, null)), // no such task
        outcome(store.complete(t4!.id, t4!.token, null)),
        outcome(store.complete(t4!.id, t4!.token, null)), // the same attempt twice
        outcome(store.complete(t5!.id, t6!.token, null)), // another task's token
        outcome(store.complete(t6!.id, t5!.token, null)),
      ]),
    );
    expect(value).toEqual([
      'ok',
      'ok',
      'STATEPROOF_LEASE_LOST',
      'STATEPROOF_NOT_FOUND',
      'ok',
      'STATEPROOF_LEASE_LOST',
      'STATEPROOF_LEASE_LOST',
      'STATEPROOF_LEASE_LOST',
    ]);
    // One statement for the batch, one for the repeated call, judged after it.
    expect(completions(sent)).toHaveLength(2);
    expect(await store.get(t2!.id)).toMatchObject({ state: 'succeeded', result: '{"n":2}', attempts: 1 });
    expect(await store.get(t4!.id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    for (const t of [t3, t5, t6])
      expect(await store.get(t!.id)).toMatchObject({
        state: 'running',
        attempts: 1,
        leaseExpiresAt: t!.leaseExpiresAt,
      });
    expect(await store.counters()).toMatchObject({ queued: 0, running: 3, succeeded: 3 });
    // The attempts that lost nothing can still finish.
    await Promise.all([t3, t5, t6].map((t) => store.complete(t!.id, t!.token, null)));
    expect(await store.counters()).toMatchObject({ running: 0, succeeded: 6 });
  });

  it('prepares claim and complete once per connection, unless told not to', async () => {
    for (const prepareStatements of [true, false]) {
      const a = await schemas.open({ prepareStatements, maxConnections: 1 });
      const store = await a.openQueue(binding('queue'));
      await store.enqueueMany(Array.from({ length: 4 }, (_, i) => ({ queue: 'q', payload: `p${i}` })));
      const { sent } = await recording(async () => {
        for (let i = 0; i < 2; i++) {
          const got = await store.claim({ worker: 'w', queues: [], limit: 2, leaseMs: 60_000 });
          await Promise.all(got.map((t) => store.complete(t.id, t.token, null)));
        }
      });
      const hot = sent.filter((x) => x.text.includes('skip locked') || completions([x]).length > 0);
      expect(hot).toHaveLength(4);
      expect(new Set(hot.map((x) => x.name)).size, `prepareStatements: ${prepareStatements}`).toBe(
        prepareStatements ? 2 : 1,
      );
      if (!prepareStatements) expect(hot.every((x) => x.name === undefined)).toBe(true);
      expect(await store.counters()).toMatchObject({ queued: 0, running: 0, succeeded: 4 });
    }
  });

  it('judges every lease of a batch by the clock: an expired one is LEASE_LOST and stays as it was', async () => {
    const clock = new ManualClock(1_000_000);
    const a = await schemas.open({ clock });
    const store = await a.openQueue(binding('queue'));
    await store.enqueueMany([
      { queue: 'q', payload: 'a' },
      { queue: 'q', payload: 'b' },
    ]);
    const [old] = await store.claim({ worker: 'w1', queues: [], limit: 1, leaseMs: 1000 });
    clock.advance(600);
    const [fresh] = await store.claim({ worker: 'w2', queues: [], limit: 1, leaseMs: 1000 });
    clock.advance(600);
    const { value, sent } = await recording(() =>
      Promise.all([
        outcome(store.complete(old!.id, old!.token, null)),
        outcome(store.complete(fresh!.id, fresh!.token, null)),
      ]),
    );
    expect(value).toEqual(['STATEPROOF_LEASE_LOST', 'ok']);
    expect(completions(sent)).toHaveLength(1);
    expect(await store.get(old!.id)).toMatchObject({ state: 'running', attempts: 1, leaseExpiresAt: 1_001_000 });
    const done = await store.get(fresh!.id);
    expect(done?.history).toEqual([
      { attempt: 1, worker: 'w2', startedAt: 1_000_600, endedAt: 1_001_200, outcome: 'succeeded', error: null },
    ]);
    expect(await store.reap()).toMatchObject({ lost: 1, requeued: 1 });
  });

  it('answers each call on its own when the server refuses the batch statement', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    await store.enqueueMany([
      { queue: 'q', payload: 'a' },
      { queue: 'q', payload: 'b' },
    ]);
    const [t1, t2] = await store.claim({ worker: 'w', queues: [], limit: 2, leaseMs: 60_000 });
    // Postgres cannot store NUL in text: the batch fails as a whole, then each call runs alone.
    const value = await Promise.all([
      outcome(store.complete(t1!.id, t1!.token, 'a\u0000b')),
      outcome(store.complete(t2!.id, t2!.token, 'fine')),
    ]);
    expect(value).toEqual(['STATEPROOF_INVALID_OPTIONS', 'ok']);
    expect(await store.get(t1!.id)).toMatchObject({ state: 'running' });
    expect(await store.get(t2!.id)).toMatchObject({ state: 'succeeded', result: 'fine' });
  });

  it('keeps the attempt history whole and bounded with attempts in columns', async () => {
    const clock = new ManualClock(5_000);
    const a = await schemas.open({ clock, random: () => 0 });
    const store = await a.openQueue(
      binding('queue', {
        attemptHistory: 3,
        retry: { maxAttempts: 10, baseDelayMs: 10, factor: 1, maxDelayMs: 10, jitter: 0 },
      }),
    );
    const { id } = await store.enqueue({ queue: 'q', payload: 'p' });
    for (let n = 1; n <= 4; n++) {
      const [t] = await store.claim({ worker: `w${n}`, queues: [], limit: 1, leaseMs: 1000 });
      expect((await store.get(id))?.history.map((h) => [h.attempt, h.outcome])).toEqual(
        [...Array.from({ length: n - 1 }, (_, i) => [i + 1, 'failed']), [n, 'running']].slice(-3),
      );
      await store.fail(id, t!.token, `e${n}`);
      clock.advance(10);
    }
    const [t5] = await store.claim({ worker: 'w5', queues: [], limit: 1, leaseMs: 1000 });
    clock.advance(5);
    await store.complete(id, t5!.token, null);
    const info = await store.get(id);
    expect(info?.history).toEqual([
      { attempt: 3, worker: 'w3', startedAt: 5_020, endedAt: 5_020, outcome: 'failed', error: 'e3' },
      { attempt: 4, worker: 'w4', startedAt: 5_030, endedAt: 5_030, outcome: 'failed', error: 'e4' },
      { attempt: 5, worker: 'w5', startedAt: 5_040, endedAt: 5_045, outcome: 'succeeded', error: null },
    ]);
    // Stored: the ended attempts in JSON, the succeeded one in columns; nothing beyond the bound.
    const stored = await withAdmin(
      async (c) =>
        (
          await c.query(
            `select history, last_worker, last_started_at from ${quoteIdentifier(a.namespace)}.tasks_done where id = $1`,
            [id],
          )
        ).rows[0],
    );
    expect((stored!.history as unknown[]).length).toBe(3);
    expect(stored).toMatchObject({ last_worker: 'w5', last_started_at: '5040' });
  });

  it('finds the rows of a claim and a completion by primary key, also when the statistics say the table is empty', async () => {
    const a = await schemas.open();
    const store = await a.openQueue(binding('queue'));
    const q = quoteIdentifier(a.namespace);
    // Statistics of an empty table, then work the planner does not know about.
    await withAdmin((c) => c.query(`vacuum analyze ${q}.tasks`));
    for (let i = 0; i < 5; i++)
      await store.enqueueMany(Array.from({ length: 1000 }, (_, j) => ({ queue: 'q', payload: `p${i}.${j}` })));
    const running = await store.claim({ worker: 'w', queues: [], limit: 200, leaseMs: 60_000 });
    const { value: tasks, sent } = await recording(async () => {
      const got = await store.claim({ worker: 'w', queues: [], limit: 100, leaseMs: 60_000 });
      await Promise.all(got.slice(0, 50).map((t) => store.complete(t.id, t.token, null)));
      return got;
    });
    const claim = sent.find((s) => s.text.includes('skip locked'))!;
    const complete = completions(sent)[0]!;
    const rest = tasks.slice(50);
    const completeValues = [
      complete.values[0],
      rest.map((t) => t.id),
      JSON.stringify(Object.fromEntries(rest.map((t) => [t.id, t.token]))),
      '{}',
    ];
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      const plans = await withAdmin(async (c) => {
        await c.query(`set plan_cache_mode = ${mode}`);
        const explain = async (name: string, text: string, values: readonly unknown[]) => {
          await c.query(`prepare ${name} as ${text}`);
          const literals = values.map((v) =>
            v === null ? 'null' : `'${(Array.isArray(v) ? `{${v.join(',')}}` : String(v)).replaceAll("'", "''")}'`,
          );
          const rows = (await c.query(`explain (costs off) execute ${name}(${literals.join(', ')})`)).rows;
          return rows.map((r) => r['QUERY PLAN'] as string).join('\n');
        };
        await c.query('begin');
        try {
          return {
            claim: await explain('c', claim.text, claim.values),
            complete: await explain('d', complete.text, completeValues),
          };
        } finally {
          await c.query('rollback');
        }
      });
      // What the UPDATE and the DELETE read: the subtree of the ModifyTable node's direct child, the
      // `->` two columns right of the node's name (CTEs and InitPlans sit beside it, not in it).
      const scan = (plan: string, node: string) => {
        const lines = plan.split('\n');
        const at = lines.findIndex((l) => l.includes(node));
        const column = (lines[at] as string).indexOf(node) + 2;
        const child = lines.findIndex(
          (l, i) => i > at && l.indexOf('->') === column && l.slice(0, column).trim() === '',
        );
        const subtree = [lines[child] as string];
        for (const l of lines.slice(child + 1)) {
          if (l.length - l.trimStart().length <= column) break;
          subtree.push(l);
        }
        return subtree.join('\n');
      };
      expect(scan(plans.claim, 'Update on tasks'), `${mode}:\n${plans.claim}`).toMatch(/tasks_pkey/);
      expect(scan(plans.claim, 'Update on tasks'), `${mode}:\n${plans.claim}`).not.toMatch(
        /tasks_available|tasks_running|Seq Scan/,
      );
      expect(scan(plans.complete, 'Delete on tasks'), `${mode}:\n${plans.complete}`).toMatch(/tasks_pkey/);
      expect(scan(plans.complete, 'Delete on tasks'), `${mode}:\n${plans.complete}`).not.toMatch(
        /tasks_available|tasks_running|Seq Scan/,
      );
    }
    expect(running).toHaveLength(200);
  });
});
