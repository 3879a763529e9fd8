import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
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

// Projections through the runtime (catch-up, resume after a reopen, rebuild, two projectors at once)
// are the conformance suite's projection properties, which every adapter runs (test/conformance.test.ts).
