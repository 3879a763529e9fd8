import Database from 'better-sqlite3';
import { Type } from '@sinclair/typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, log, openRuntime, record, type Registry } from '@stateproof/core';
import type { LogStore, RecordStore } from '@stateproof/core/adapter-kit';
import { NAMESPACE_MIGRATIONS, namespaceTables, sqliteAdapter, type SqliteAdapter } from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

// The projection commit of the SQLite stores (spec/contract/classes.md, PRJ-003): the cursor's
// compare-and-set, the clearing of a rebuild, the writes and the new cursor in one transaction.
const tmp = tempDir();
const open: SqliteAdapter[] = [];
afterAll(async () => {
  await Promise.all(open.map((a) => a.close()));
  tmp.remove();
});

function adapter(path: string, namespace = 'prj'): SqliteAdapter {
  const a = sqliteAdapter({ path, namespace });
  open.push(a);
  return a;
}

const recordBinding = () => binding('record', { class: 'derived-projection' });
const logBinding = () => binding('log', { class: 'derived-projection' });

async function stores(a: SqliteAdapter): Promise<{ records: RecordStore; logs: LogStore }> {
  return { records: await a.openRecord(recordBinding()), logs: await a.openLog(logBinding()) };
}

async function keys(records: RecordStore): Promise<Array<[string, string]>> {
  return (await records.list({ prefix: '', limit: 1000 })).entries.map((e) => [e.key, e.value]);
}

/** Makes the backend itself refuse a value: a trigger that aborts the statement writing it. */
function refuse(path: string, table: string, value: string): void {
  const db = new Database(path);
  db.exec(
    `CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} WHEN NEW.value = '${value}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
  );
  db.close();
}

describe('SQLite projection commit: records', () => {
  it('applies puts and deletes in order with fresh versions, and moves the cursor', async () => {
    const { records } = await stores(adapter(tmp.file()));
    expect(await records.projectionCursor!()).toBe(0);
    await records.applyProjection!(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
      ],
      { from: 0, to: 4 },
    );
    const a1 = await records.get('a');
    expect(a1?.value).toBe('3');
    await records.applyProjection!(
      [
        { key: 'b', value: null },
        { key: 'a', value: '4' },
      ],
      { from: 4, to: 9 },
    );
    expect(await keys(records)).toEqual([['a', '4']]);
    expect((await records.get('a'))!.version).toBeGreaterThan(a1!.version);
    expect(await records.projectionCursor!()).toBe(9);
  });

  it('applies nothing when a write fails half-way: no record, the cursor stays, and the next commit goes on', async () => {
    const path = tmp.file();
    const a = adapter(path);
    const { records } = await stores(a);
    await records.applyProjection!([{ key: 'kept', value: '0' }], { from: 0, to: 1 });
    refuse(path, namespaceTables('prj').records, '"refused"');
    const write = records.applyProjection!(
      [
        { key: 'kept', value: '1' },
        { key: 'new', value: '2' },
        { key: 'bad', value: '"refused"' },
        { key: 'after', value: '3' },
      ],
      { from: 1, to: 5 },
    );
    // Issued in the same turn, so the executor runs both in one transaction: the failure undoes its own step only.
    const other = await a.openRecord(binding('record', { surfaceId: 'other', space: 'sp1:test:a:app:other:' }));
    const [failed, put] = await Promise.allSettled([write, other.put('x', '"y"')]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/refused/) } });
    expect(put.status).toBe('fulfilled');
    expect(await keys(records)).toEqual([['kept', '0']]);
    expect(await records.projectionCursor!()).toBe(1);
    expect((await other.get('x'))?.value).toBe('"y"');
    await records.applyProjection!([{ key: 'new', value: '2' }], { from: 1, to: 5 });
    expect(await keys(records)).toEqual([
      ['kept', '0'],
      ['new', '2'],
    ]);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const path = tmp.file();
    const [r1, r2] = [(await stores(adapter(path))).records, (await stores(adapter(path))).records];
    let cursor = 0;
    for (let round = 0; round < 20; round++) {
      const results = await Promise.allSettled([
        r1.applyProjection!([{ key: `one-${round}`, value: '1' }], { from: cursor, to: cursor + 1 }),
        r2.applyProjection!([{ key: `two-${round}`, value: '2' }], { from: cursor, to: cursor + 2 }),
      ]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      const lost = results.find((r) => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(lost).toMatchObject({
        reason: { code: 'STATEPROOF_PROJECTION_CONFLICT', details: { expected: cursor, current: cursor + won + 1 } },
      });
      cursor += won + 1;
      expect(await r1.projectionCursor!()).toBe(cursor);
      expect(await r2.projectionCursor!()).toBe(cursor);
      const names = (await keys(r1)).map(([k]) => k).filter((k) => k.endsWith(`-${round}`));
      expect(names).toEqual([won === 0 ? `one-${round}` : `two-${round}`]);
    }
  });

  it('clears every record of the surface on reset, and only of that surface', async () => {
    const a = adapter(tmp.file());
    const { records } = await stores(a);
    const neighbour = await a.openRecord(binding('record', { surfaceId: 'n', space: 'sp1:test:a:app:n:' }));
    await neighbour.put('a', '"n"');
    await records.applyProjection!(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
      { from: 0, to: 2 },
    );
    const before = (await records.get('a'))!.version;
    await records.applyProjection!([{ key: 'a', value: '5' }], { from: 2, to: 1, reset: true });
    expect(await keys(records)).toEqual([['a', '5']]);
    expect((await records.get('a'))!.version).toBeGreaterThan(before);
    expect(await records.projectionCursor!()).toBe(1);
    expect((await neighbour.get('a'))?.value).toBe('"n"');
    // A reset that starts from a stale cursor clears nothing.
    await expect(records.applyProjection!([], { from: 2, to: 0, reset: true })).rejects.toMatchObject({
      code: 'STATEPROOF_PROJECTION_CONFLICT',
    });
    expect(await keys(records)).toEqual([['a', '5']]);
  });
});

describe('SQLite projection commit: logs', () => {
  it('appends with each stream’s next sequences and moves the cursor; reset empties every stream and sequences go on', async () => {
    const a = adapter(tmp.file());
    const { logs } = await stores(a);
    await logs.applyProjection!(
      [
        { stream: 'x', value: '1' },
        { stream: 'y', value: '2' },
        { stream: 'x', value: '3' },
      ],
      { from: 0, to: 3 },
    );
    expect((await logs.read('x', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, '1'],
      [2, '3'],
    ]);
    expect(await logs.info('y')).toEqual({ first: 1, last: 1 });
    await logs.applyProjection!([{ stream: 'x', value: '4' }], { from: 3, to: 1, reset: true });
    expect((await logs.read('x', { after: 2, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[3, '4']]);
    expect(await logs.info('x')).toEqual({ first: 3, last: 3 });
    expect(await logs.info('y')).toEqual({ first: null, last: 1 });
    await logs.applyProjection!([{ stream: 'y', value: '5' }], { from: 1, to: 2 });
    expect((await logs.read('y', { after: 1, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[2, '5']]);
    expect(await logs.projectionCursor!()).toBe(2);
  });

  it('applies nothing when an append fails half-way, not even the reset', async () => {
    const path = tmp.file();
    const { logs } = await stores(adapter(path));
    await logs.applyProjection!([{ stream: 'x', value: '0' }], { from: 0, to: 1 });
    refuse(path, namespaceTables('prj').logEntries, '"refused"');
    await expect(
      logs.applyProjection!(
        [
          { stream: 'x', value: '1' },
          { stream: 'y', value: '2' },
          { stream: 'x', value: '"refused"' },
        ],
        { from: 1, to: 3, reset: true },
      ),
    ).rejects.toThrow(/refused/);
    expect(await logs.info('x')).toEqual({ first: 1, last: 1 });
    expect(await logs.info('y')).toEqual({ first: null, last: 0 });
    expect(await logs.projectionCursor!()).toBe(1);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const path = tmp.file();
    const [l1, l2] = [(await stores(adapter(path))).logs, (await stores(adapter(path))).logs];
    let cursor = 0;
    for (let round = 0; round < 20; round++) {
      const results = await Promise.allSettled([
        l1.applyProjection!([{ stream: 's', value: '1' }], { from: cursor, to: cursor + 1 }),
        l2.applyProjection!(
          [
            { stream: 's', value: '2' },
            { stream: 's', value: '2' },
          ],
          { from: cursor, to: cursor + 2 },
        ),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results[1 - won]).toMatchObject({ reason: { code: 'STATEPROOF_PROJECTION_CONFLICT' } });
      cursor += won + 1;
    }
    const values = (await l1.read('s', { after: 0, limit: 1000 })).map((e) => e.value);
    // Each winner appended its own count of entries, and nothing of a loser: the stream is exactly the winners'.
    expect(values.length).toBe(cursor);
    expect(await l2.projectionCursor!()).toBe(cursor);
  });
});

describe('SQLite projection commit: durability', () => {
  it('keeps the cursor and the projection across a reopen', async () => {
    const path = tmp.file();
    const a = sqliteAdapter({ path, namespace: 'prj' });
    const s = await stores(a);
    await s.records.applyProjection!([{ key: 'k', value: '"v"' }], { from: 0, to: 7 });
    await s.logs.applyProjection!([{ stream: 'x', value: '"e"' }], { from: 0, to: 3 });
    await a.close();
    const again = await stores(adapter(path));
    expect(await again.records.projectionCursor!()).toBe(7);
    expect((await again.records.get('k'))?.value).toBe('"v"');
    expect(await again.logs.projectionCursor!()).toBe(3);
    expect((await again.logs.read('x', { after: 0, limit: 10 })).map((e) => e.value)).toEqual(['"e"']);
  });

  it('migrates a namespace of schema version 1 to the projection cursors, keeping its data', async () => {
    const path = tmp.file();
    const first = sqliteAdapter({ path, namespace: 'old' });
    await (await first.openRecord(binding('record'))).put('k', '"kept"');
    await first.close();
    // Back to version 1, as an adapter of before the projection cursors left it.
    const db = new Database(path);
    const t = namespaceTables('old');
    db.exec(`DROP TABLE ${t.projections}`);
    db.prepare('UPDATE stateproof_namespaces SET schema_version = 1 WHERE namespace = ?').run('old');
    db.close();
    const a = adapter(path, 'old');
    expect((await (await a.openRecord(binding('record'))).get('k'))?.value).toBe('"kept"');
    const records = await a.openRecord(recordBinding());
    await records.applyProjection!([{ key: 'p', value: '1' }], { from: 0, to: 1 });
    expect(await records.projectionCursor!()).toBe(1);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT schema_version FROM stateproof_namespaces WHERE namespace = ?').get('old')).toEqual({
      schema_version: NAMESPACE_MIGRATIONS.at(-1)!.version,
    });
    check.close();
  });
});

const Order = Type.Object({ customer: Type.String(), amount: Type.Integer() });
const Total = Type.Object({ total: Type.Integer(), orders: Type.Integer() });

function surfaces(registry: Registry) {
  const orders = log('orders.log', { durability: 'restart-safe-local', value: Order, registry });
  const totals = record('customers.totals', {
    durability: 'derived-projection',
    source: orders,
    value: Total,
    registry,
  });
  const big = log('orders.big', { durability: 'derived-projection', source: orders, value: Order, registry });
  return { orders, totals, big };
}

/** The per-customer totals of a batch, folded from what the projection holds. */
async function totalsOf(
  entries: ReadonlyArray<{ value: { customer: string; amount: number } }>,
  view: { get(key: string): Promise<{ total: number; orders: number } | null> },
) {
  const next = new Map<string, { total: number; orders: number }>();
  for (const { value } of entries) {
    const before = next.get(value.customer) ?? (await view.get(value.customer)) ?? { total: 0, orders: 0 };
    next.set(value.customer, { total: before.total + value.amount, orders: before.orders + 1 });
  }
  return [...next].map(([put, v]) => ({ put, value: v }));
}

describe('SQLite projections through the runtime', () => {
  async function runtime(path: string, { delayMs = 0, batch = 4 } = {}) {
    const registry = createRegistry();
    const s = surfaces(registry);
    const rt = await openRuntime({
      adapter: sqliteAdapter({ path, namespace: 'shop' }),
      app: 'shop',
      deployment: 'd1',
      mode: 'enforce',
      registry,
      surfaces: [s.orders, s.totals, s.big],
      maintenanceIntervalMs: false,
    });
    // A projector that takes its time, so that two of them read the same cursor before either commits.
    const slowly = async <T>(writes: T): Promise<T> => {
      await new Promise((r) => setTimeout(r, delayMs));
      return writes;
    };
    const totals = rt.project(s.totals, {
      source: s.orders,
      stream: 'all',
      batch,
      project: async (entries, view) => slowly(await totalsOf(entries, view)),
    });
    const big = rt.project(s.big, {
      source: s.orders,
      stream: 'all',
      batch: batch - 1,
      project: (entries) =>
        slowly(entries.filter((e) => e.value.amount >= 10).map((e) => ({ append: e.value.customer, value: e.value }))),
    });
    return { rt, s, totals, big };
  }

  it('catches up, resumes from the committed cursor after a reopen, and rebuilds to the incremental projection', async () => {
    const path = tmp.file();
    const one = await runtime(path);
    for (let i = 1; i <= 10; i++) await one.rt.use(one.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    expect(await one.totals.catchUp()).toEqual({ applied: 10, cursor: 10 });
    expect(await one.big.catchUp()).toEqual({ applied: 10, cursor: 10 });
    await one.rt.close();

    const two = await runtime(path);
    expect(await two.totals.lag()).toEqual({ cursor: 10, head: 10, lag: 0 });
    for (let i = 11; i <= 15; i++) await two.rt.use(two.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    expect(await two.totals.catchUp()).toEqual({ applied: 5, cursor: 15 });
    expect(await two.big.catchUp()).toEqual({ applied: 5, cursor: 15 });
    const totals = async () =>
      (await two.rt.use(two.s.totals).list({ limit: 100 })).items.map((r) => [r.key, r.value] as const);
    const incremental = await totals();
    expect(incremental.reduce((n, [, v]) => n + v.total, 0)).toBe((15 * 16) / 2);
    expect(incremental.reduce((n, [, v]) => n + v.orders, 0)).toBe(15);
    expect((await two.rt.use(two.s.big).read('c1', { limit: 100 })).map((e) => e.value.amount)).toEqual([10, 13]);

    expect(await two.totals.rebuild()).toEqual({ applied: 15, cursor: 15 });
    expect(await totals()).toEqual(incremental);
    const lastBefore = (await two.rt.use(two.s.big).info('c1')).last;
    expect(await two.big.rebuild()).toEqual({ applied: 15, cursor: 15 });
    // The rebuilt log holds the same values under new sequences: none is reused.
    const rebuilt = await two.rt.use(two.s.big).read('c1', { after: lastBefore, limit: 100 });
    expect(rebuilt.map((e) => e.value.amount)).toEqual([10, 13]);
    expect(rebuilt[0]!.seq).toBe(lastBefore + 1);
    await two.rt.close();
  });

  it('lets two runtimes on one file project together: every entry applied exactly once', async () => {
    const path = tmp.file();
    const [a, b] = [await runtime(path, { delayMs: 5, batch: 5 }), await runtime(path, { delayMs: 5, batch: 4 })];
    for (let i = 1; i <= 40; i++) await a.rt.use(a.s.orders).append('all', { customer: `c${i % 3}`, amount: i });
    await Promise.all([a.totals.catchUp(), b.totals.catchUp(), a.big.catchUp(), b.big.catchUp()]);
    const items = (await b.rt.use(b.s.totals).list({ limit: 10 })).items;
    expect(items.reduce((n, r) => n + r.value.total, 0)).toBe((40 * 41) / 2);
    expect(items.reduce((n, r) => n + r.value.orders, 0)).toBe(40);
    // The log projection shows a double application at once: an entry appended twice.
    const amounts = [];
    for (const c of ['c0', 'c1', 'c2'])
      amounts.push(...(await a.rt.use(a.s.big).read(c, { limit: 100 })).map((e) => e.value.amount));
    expect(amounts.sort((x, y) => x - y)).toEqual(Array.from({ length: 31 }, (_, i) => i + 10));
    await Promise.all([a.rt.close(), b.rt.close()]);
  });
});
