import type { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogStore, RecordStore } from '@stateproof/core/adapter-kit';
import { MIGRATIONS, quoteIdentifier, type PostgresAdapter } from '@stateproof/adapter-postgres';
import { binding, freshSchema, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

// The projection commit of the Postgres stores (spec/contract/classes.md, PRJ-003): the cursor row
// locked and compared, the clearing of a rebuild, the writes and the new cursor in one transaction.
const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

const recordBinding = () => binding('record', { class: 'derived-projection' });
const logBinding = () => binding('log', { class: 'derived-projection' });

async function stores(a: PostgresAdapter): Promise<{ records: RecordStore; logs: LogStore }> {
  return { records: await a.openRecord(recordBinding()), logs: await a.openLog(logBinding()) };
}

async function keys(records: RecordStore): Promise<Array<[string, string]>> {
  return (await records.list({ prefix: '', limit: 1000 })).entries.map((e) => [e.key, e.value]);
}

/** The advisory lock a test holds to stop a commit inside its transaction (see `gate`). */
const GATE = 770_014;

/** Makes an insert of the value `'"blocked"'` into `table` wait while the test holds GATE: a commit stopped half-way. */
async function gate(schema: string, table: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await withAdmin((c) =>
    c.query(`
      create function ${s}.hold_${table}() returns trigger language plpgsql as $$
      begin
        if new.value = '"blocked"' then perform pg_advisory_lock_shared(${GATE}); perform pg_advisory_unlock_shared(${GATE}); end if;
        return new;
      end $$;
      create trigger hold_${table} before insert on ${s}.${table} for each row execute function ${s}.hold_${table}();`),
  );
}

/** Resolves once a commit waits at the gate. */
async function waiting(holder: Client): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { rows } = await holder.query<{ n: number }>(
      `select count(*)::integer as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted`,
      [GATE],
    );
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error('the commit never reached the gate');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!PG_AVAILABLE)('Postgres projection commit: records', () => {
  it('applies puts and deletes in order with fresh versions, and moves the cursor', async () => {
    const { records } = await stores(await schemas.open());
    expect(await records.projectionCursor!()).toBe(0);
    await records.applyProjection!(
      [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
        { key: 'c', value: '4' },
        { key: 'c', value: null },
      ],
      { from: 0, to: 4 },
    );
    expect(await keys(records)).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
    const a1 = await records.get('a');
    await records.applyProjection!(
      [
        { key: 'b', value: null },
        { key: 'a', value: '4' },
        { key: 'b', value: '5' },
        { key: 'b', value: null },
      ],
      { from: 4, to: 9 },
    );
    expect(await keys(records)).toEqual([['a', '4']]);
    expect((await records.get('a'))!.version).toBeGreaterThan(a1!.version);
    expect(await records.projectionCursor!()).toBe(9);
  });

  it('applies nothing when the backend refuses a write half-way: no record, no reset, the cursor stays', async () => {
    const { records } = await stores(await schemas.open());
    await records.applyProjection!([{ key: 'kept', value: '0' }], { from: 0, to: 1 });
    // Postgres cannot store NUL in text: the statement of the puts fails after the reset and the deletes ran.
    await expect(
      records.applyProjection!(
        [
          { key: 'new', value: '1' },
          { key: 'kept', value: null },
          { key: 'bad', value: '"\u0000"' },
        ],
        { from: 1, to: 5, reset: true },
      ),
    ).rejects.toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS' });
    expect(await keys(records)).toEqual([['kept', '0']]);
    expect(await records.projectionCursor!()).toBe(1);
    await records.applyProjection!([{ key: 'new', value: '2' }], { from: 1, to: 5 });
    expect(await keys(records)).toEqual([
      ['kept', '0'],
      ['new', '2'],
    ]);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const [r1, r2] = [(await stores(a)).records, (await stores(b)).records];
    let cursor = 0;
    for (let round = 0; round < 15; round++) {
      const results = await Promise.allSettled([
        r1.applyProjection!([{ key: `one-${round}`, value: '1' }], { from: cursor, to: cursor + 1 }),
        r2.applyProjection!([{ key: `two-${round}`, value: '2' }], { from: cursor, to: cursor + 2 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results[1 - won]).toMatchObject({
        reason: { code: 'STATEPROOF_PROJECTION_CONFLICT', details: { expected: cursor, current: cursor + won + 1 } },
      });
      cursor += won + 1;
      expect(await r2.projectionCursor!()).toBe(cursor);
      const names = (await keys(r1)).map(([k]) => k).filter((k) => k.endsWith(`-${round}`));
      expect(names).toEqual([won === 0 ? `one-${round}` : `two-${round}`]);
    }
  });

  it('makes a second projector wait on the locked cursor while the first is mid-commit, then refuses it', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const [r1, r2] = [(await stores(a)).records, (await stores(b)).records];
    // The cursor row exists already, so only its lock (not the insert of a new row) can hold the second back.
    await r1.applyProjection!([], { from: 0, to: 1 });
    await gate(a.namespace, 'records');
    await withAdmin(async (holder) => {
      await holder.query('select pg_advisory_lock($1)', [GATE]);
      const first = r1.applyProjection!([{ key: 'first', value: '"blocked"' }], { from: 1, to: 3 });
      await waiting(holder);
      // The first commit holds the cursor row and has not committed: the second must not read cursor 1 and go on.
      const second = r2.applyProjection!([{ key: 'second', value: '1' }], { from: 1, to: 2 }).then(
        () => 'applied',
        (e: { code?: string }) => e.code,
      );
      await new Promise((r) => setTimeout(r, 300));
      await holder.query('select pg_advisory_unlock($1)', [GATE]);
      await first;
      expect(await second).toBe('STATEPROOF_PROJECTION_CONFLICT');
    });
    expect(await keys(r1)).toEqual([['first', '"blocked"']]);
    expect(await r1.projectionCursor!()).toBe(3);
  });

  it('clears every record of the surface on reset, and only of that surface', async () => {
    const a = await schemas.open();
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
    await expect(records.applyProjection!([], { from: 2, to: 0, reset: true })).rejects.toMatchObject({
      code: 'STATEPROOF_PROJECTION_CONFLICT',
    });
    expect(await keys(records)).toEqual([['a', '5']]);
  });
});

describe.skipIf(!PG_AVAILABLE)('Postgres projection commit: logs', () => {
  it('appends with each stream’s next sequences and moves the cursor; reset empties every stream and sequences go on', async () => {
    const { logs } = await stores(await schemas.open());
    await logs.append('x', ['"before"']);
    await logs.applyProjection!(
      [
        { stream: 'x', value: '1' },
        { stream: 'y', value: '2' },
        { stream: 'x', value: '3' },
        { stream: 'y', value: '4' },
      ],
      { from: 0, to: 3 },
    );
    expect((await logs.read('x', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, '"before"'],
      [2, '1'],
      [3, '3'],
    ]);
    expect((await logs.read('y', { after: 0, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([
      [1, '2'],
      [2, '4'],
    ]);
    await logs.applyProjection!([{ stream: 'x', value: '5' }], { from: 3, to: 1, reset: true });
    expect((await logs.read('x', { after: 3, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[4, '5']]);
    expect(await logs.info('x')).toEqual({ first: 4, last: 4 });
    expect(await logs.info('y')).toEqual({ first: null, last: 2 });
    await logs.applyProjection!([{ stream: 'y', value: '6' }], { from: 1, to: 2 });
    expect((await logs.read('y', { after: 2, limit: 10 })).map((e) => [e.seq, e.value])).toEqual([[3, '6']]);
    expect(await logs.projectionCursor!()).toBe(2);
  });

  it('applies retention to the streams it appends to', async () => {
    const a = await schemas.open();
    const logs = await a.openLog(binding('log', { class: 'derived-projection', retention: { maxEntries: 2 } }));
    await logs.applyProjection!(
      ['1', '2', '3', '4', '5'].map((value) => ({ stream: 'x', value })),
      { from: 0, to: 5 },
    );
    await logs.applyProjection!([{ stream: 'x', value: '6' }], { from: 5, to: 6 });
    expect(await logs.info('x')).toEqual({ first: 5, last: 6 });
    await expect(logs.read('x', { after: 0, limit: 10 })).rejects.toMatchObject({ code: 'STATEPROOF_LOG_TRIMMED' });
  });

  it('applies nothing when the backend refuses an append, not even the reset', async () => {
    const { logs } = await stores(await schemas.open());
    await logs.applyProjection!([{ stream: 'x', value: '0' }], { from: 0, to: 1 });
    await expect(
      logs.applyProjection!(
        [
          { stream: 'x', value: '1' },
          { stream: 'y', value: '2' },
          { stream: 'x', value: '"\u0000"' },
        ],
        { from: 1, to: 3, reset: true },
      ),
    ).rejects.toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS' });
    expect(await logs.info('x')).toEqual({ first: 1, last: 1 });
    expect(await logs.info('y')).toEqual({ first: null, last: 0 });
    expect(await logs.projectionCursor!()).toBe(1);
  });

  it('lets exactly one of two commits from the same cursor win, across two adapter instances', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const [l1, l2] = [(await stores(a)).logs, (await stores(b)).logs];
    let cursor = 0;
    for (let round = 0; round < 15; round++) {
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
    // Each winner appended as many entries as it moved the cursor, and no loser anything.
    expect((await l1.read('s', { after: 0, limit: 1000 })).length).toBe(cursor);
    expect(await l2.projectionCursor!()).toBe(cursor);
  });

  it('wakes a subscriber of a stream it appends to', async () => {
    const a = await schemas.open({ pollIntervalMs: 60_000 });
    const { logs } = await stores(a);
    await logs.info('x'); // the surface registered, so the subscription's channel is the one commits notify
    const sub = await logs.subscribe('x', { after: 0 });
    const next = sub.next();
    await new Promise((r) => setTimeout(r, 200)); // the LISTEN in place
    await logs.applyProjection!([{ stream: 'x', value: '"hi"' }], { from: 0, to: 1 });
    const event = await Promise.race([next, new Promise((r) => setTimeout(() => r('timeout'), 5_000))]);
    expect(event).toMatchObject({ value: { type: 'entry', entry: { seq: 1, value: '"hi"' } } });
    await sub.close();
  });
});

describe.skipIf(!PG_AVAILABLE)('Postgres projection commit: durability', () => {
  it('keeps the cursor and the projection across a reopen', async () => {
    const a = await schemas.open();
    const s = await stores(a);
    await s.records.applyProjection!([{ key: 'k', value: '"v"' }], { from: 0, to: 7 });
    await s.logs.applyProjection!([{ stream: 'x', value: '"e"' }], { from: 0, to: 3 });
    await a.close();
    const again = await stores(await schemas.open({ namespace: a.namespace }));
    expect(await again.records.projectionCursor!()).toBe(7);
    expect((await again.records.get('k'))?.value).toBe('"v"');
    expect(await again.logs.projectionCursor!()).toBe(3);
    expect((await again.logs.read('x', { after: 0, limit: 10 })).map((e) => e.value)).toEqual(['"e"']);
  });

  it('migrates a schema of version 2 to the projection cursors, keeping its data', async () => {
    const namespace = schemas.track(freshSchema());
    const q = quoteIdentifier(namespace);
    await withAdmin(async (c) => {
      await c.query(`create schema ${q}`);
      for (const m of MIGRATIONS.filter((m) => m.version <= 2)) {
        await c.query(m.sql(q).join(';\n'));
        await c.query(
          `insert into ${q}.schema_migrations (version, description, adapter_version) values ($1, $2, '0.1.0')`,
          [m.version, m.description],
        );
      }
      const space = (
        await c.query(`insert into ${q}.spaces (kind, space) values ('record', $1) returning id`, [
          recordBinding().space,
        ])
      ).rows[0]!.id as number;
      await c.query(`insert into ${q}.records (space_id, key, value, version) values ($1, 'kept', '"v2"', 1)`, [space]);
    });
    const { records } = await stores(await schemas.open({ namespace }));
    expect((await records.get('kept'))?.value).toBe('"v2"');
    await records.applyProjection!([{ key: 'p', value: '1' }], { from: 0, to: 1 });
    expect(await records.projectionCursor!()).toBe(1);
    const versions = await withAdmin(
      async (c) => (await c.query(`select version from ${q}.schema_migrations order by version`)).rows,
    );
    expect(versions.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});

// Projections through the runtime (catch-up, resume after a reopen, rebuild, two projectors at once)
// are the conformance suite's projection properties, which every adapter runs (test/conformance.test.ts).
