import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@stateproof/core';
import { compareKeys, globLiteralPrefix, guardAdapter, prefixUpperBound } from '@stateproof/core/adapter-kit';
import { checkDocument, ProbeResultSchema } from '@stateproof/spec';
import {
  certify,
  dropSqliteNamespace,
  migrateNamespace,
  NAMESPACE_MIGRATIONS,
  namespaceTables,
  sqliteAdapter,
  type NamespaceMigration,
} from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('key ranges', () => {
  it('prefixUpperBound bounds exactly the strings that start with the prefix, in UTF-8 byte order', () => {
    const unit = fc.constantFrom(
      'a',
      'b',
      '%',
      '_',
      '\\',
      '\u007f',
      '\ud7ff',
      '\ue000',
      '\uffff',
      '😀',
      '\u{10ffff}',
      'é',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 4 }), fc.string({ unit, maxLength: 5 }), (prefix, key) => {
        const upper = prefixUpperBound(prefix);
        const inRange = compareKeys(key, prefix) >= 0 && (upper === undefined || compareKeys(key, upper) < 0);
        expect(inRange).toBe(key.startsWith(prefix));
      }),
      { numRuns: 3000 },
    );
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(globLiteralPrefix('route:\\*x*y')).toBe('route:*x');
    expect(globLiteralPrefix('?')).toBe('');
  });
});

describe('keys cannot escape their surface or namespace', () => {
  const tricky = [
    "'",
    "'; DROP TABLE x; --",
    '"',
    '%',
    '_',
    '%_',
    'a%',
    'a_',
    '*',
    '?',
    '[a]',
    '\\',
    '\\%',
    'é',
    '😀',
    '\uffff',
    'k'.repeat(512),
    '😀'.repeat(128),
  ];

  it('stores every tricky key literally; prefixes are literal; order is UTF-8 bytes', async () => {
    const path = tmp.file();
    const a = sqliteAdapter({ path, namespace: 'one' });
    const b = sqliteAdapter({ path, namespace: "one'; --" });
    const ra = await a.openRecord(binding('record'));
    const rb = await b.openRecord(binding('record'));
    const other = await a.openRecord(binding('record', { space: 'sp1:test:a:app:test.record2:' }));
    for (const k of tricky) await ra.put(k, JSON.stringify(k));
    for (const k of tricky) {
      expect((await ra.get(k))?.value).toBe(JSON.stringify(k));
      expect(await rb.get(k)).toBeNull();
      expect(await other.get(k)).toBeNull();
    }
    const all = (await ra.list({ prefix: '', limit: 1000 })).entries.map((e) => e.key);
    expect(all).toEqual([...tricky].sort(compareKeys));
    expect(all.indexOf('\uffff')).toBeLessThan(all.indexOf('😀')); // UTF-16 order would put 😀 first
    for (const prefix of ['%', '_', '\\', 'a', '[', "'", '😀']) {
      const listed = (await ra.list({ prefix, limit: 1000 })).entries.map((e) => e.key);
      expect(listed, prefix).toEqual(tricky.filter((k) => k.startsWith(prefix)).sort(compareKeys));
    }
    expect((await rb.list({ prefix: '', limit: 10 })).entries).toEqual([]);
    // Paging with the last key as the cursor walks everything exactly once.
    const walked: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await ra.list({ prefix: '', limit: 3, ...(after === undefined ? {} : { after }) });
      walked.push(...page.entries.map((e) => e.key));
      if (!page.more) break;
      after = page.entries.at(-1)?.key;
    }
    expect(walked).toEqual(all);
    await a.close();
    await b.close();
  });

  it('dataspace filters treat %, _, * and ? in prefixes literally, and globs by their own rules', async () => {
    const a = sqliteAdapter({ path: tmp.file() });
    const ds = await a.openDataspace(binding('dataspace'));
    const { session } = await ds.openSession('o', 60_000);
    const ids = ['a%b', 'axb', 'a_b', 'a*b', 'a?b', 'ab', 'route:/x', 'route:/y/z'];
    for (const id of ids) await ds.assert(session, id, '1');
    const list = async (filter: Parameters<typeof ds.list>[0]) => (await ds.list(filter)).assertions.map((x) => x.id);
    expect(await list({ type: 'prefix', prefix: 'a%' })).toEqual(['a%b']);
    expect(await list({ type: 'prefix', prefix: 'a_' })).toEqual(['a_b']);
    expect(await list({ type: 'prefix', prefix: 'a*' })).toEqual(['a*b']);
    expect(await list({ type: 'glob', pattern: 'a?b' })).toEqual(['a%b', 'a*b', 'a?b', 'a_b', 'axb']);
    expect(await list({ type: 'glob', pattern: 'a\\?b' })).toEqual(['a?b']);
    expect(await list({ type: 'glob', pattern: 'route:*' })).toEqual(['route:/x', 'route:/y/z']);
    expect(await list({ type: 'exact', id: 'a%b' })).toEqual(['a%b']);
    await a.close();
  });
});

describe('group commit', () => {
  it('operations issued together share one transaction; a refused one changes nothing and the others commit', async () => {
    const path = tmp.file();
    const a = sqliteAdapter({ path });
    const r = await a.openRecord(binding('record'));
    const { version } = await r.put('x', '1');
    const watcher = new Database(path, { readonly: true });
    const dv = () => watcher.pragma('data_version', { simple: true }) as number;
    const before = dv();
    const results = await Promise.allSettled([
      r.put('a', '"a"'),
      r.put('x', '2', { ifVersion: version + 100 }),
      r.put('b', '"b"'),
      r.delete('x', { ifVersion: version }),
      r.get('a'),
    ]);
    expect(results.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'STATEPROOF_VERSION_CONFLICT',
      current: version,
    });
    // The read in the group sees the write before it, and is released only after the commit.
    expect((results[4] as PromiseFulfilledResult<{ value: string } | null>).value?.value).toBe('"a"');
    expect(dv()).toBe(before + 1); // one commit for the whole group
    expect(await r.get('x')).toBeNull();
    expect((await r.get('b'))?.value).toBe('"b"');
    watcher.close();
    await a.close();
  });

  it('close commits what was already issued; later calls fail with STATEPROOF_CLOSED (core guard)', async () => {
    const path = tmp.file();
    const a = guardAdapter(sqliteAdapter({ path }));
    const r = await a.openRecord(binding('record'));
    const pending = r.put('late', '"v"');
    await a.close();
    await expect(pending).resolves.toMatchObject({ version: 1 });
    await expect(r.get('late')).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await expect(a.probe()).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await a.close(); // idempotent
    const b = sqliteAdapter({ path });
    expect((await (await b.openRecord(binding('record'))).get('late'))?.value).toBe('"v"');
    await b.close();
  });

  it('closing the adapter ends its subscriptions', async () => {
    const a = sqliteAdapter({ path: tmp.file() });
    const log = await a.openLog(binding('log'));
    const tail = await log.subscribe('s', { after: 0 });
    const ds = await (await a.openDataspace(binding('dataspace'))).subscribe({ type: 'all' });
    const ch = await (await a.openChannel(binding('channel'))).subscribe({ topic: 't' });
    expect((await ds.next()).value).toMatchObject({ type: 'snapshot', revision: 0, assertions: [] });
    const pending = [tail.next(), ds.next(), ch.next()];
    await a.close();
    expect((await Promise.all(pending)).map((r) => r.done)).toEqual([true, true, true]);
  });
});

describe('probe', () => {
  it('certifies restart-safe-local only with a real journal and synced commits, with reasons and the fix', async () => {
    const cases = [
      { options: {}, local: true, projection: true },
      { options: { synchronous: 'extra' as const }, local: true, projection: true },
      { options: { journalMode: 'delete' as const }, local: true, projection: true },
      {
        options: { synchronous: 'normal' as const },
        local: false,
        projection: true,
        reason: /power loss may roll back|OS crash or power loss/,
      },
      { options: { synchronous: 'off' as const }, local: false, projection: false, reason: /not synced/ },
      {
        options: { journalMode: 'memory' as const },
        local: false,
        projection: false,
        reason: /can leave the file corrupt/,
      },
    ];
    for (const c of cases) {
      const a = sqliteAdapter({ path: tmp.file(), ...c.options });
      const probe = await a.probe();
      expect(checkDocument(ProbeResultSchema, probe)).toEqual([]);
      const verdict = (cls: string) => probe.classes.find((v) => v.class === cls);
      expect(verdict('restart-safe-local')?.certified, JSON.stringify(c.options)).toBe(c.local);
      expect(verdict('derived-projection')?.certified).toBe(c.projection);
      expect(verdict('ephemeral')?.certified).toBe(true);
      expect(verdict('shared-durable')?.certified).toBe(false);
      if (c.reason) expect(verdict('restart-safe-local')?.reasons.join(' ')).toMatch(c.reason);
      expect(verdict('restart-safe-local')?.fixes?.length ? false : true).toBe(c.local);
      expect(probe.settings).toMatchObject({
        journal_mode: c.options.journalMode ?? 'wal',
        synchronous: c.options.synchronous ?? 'full',
      });
      await a.close();
    }
    // better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode=OFF: the probe reports
    // the journal actually in use, and judges it.
    const off = sqliteAdapter({ path: tmp.file(), journalMode: 'off' });
    expect((await off.probe()).settings['journal_mode']).toBe('delete');
    await off.close();
    const judged = certify({ file: '/x.db', journalMode: 'off', synchronous: 'full', sqliteVersion: '3' });
    expect(judged.find((v) => v.class === 'restart-safe-local')).toMatchObject({
      certified: false,
      reasons: expect.arrayContaining([expect.stringMatching(/can leave the file corrupt/)]),
    });
    expect(judged.find((v) => v.class === 'derived-projection')?.certified).toBe(false);
    const memory = sqliteAdapter({ path: ':memory:' });
    const p = await memory.probe();
    expect(p.settings['journal_mode']).toBe('memory');
    expect(p.classes.filter((v) => v.certified).map((v) => v.class)).toEqual(['ephemeral', 'telemetry']);
    await memory.close();
  });

  it('takes time from the injected clock', async () => {
    const clock = new ManualClock(1_000_000);
    const a = sqliteAdapter({ path: tmp.file(), clock });
    const r = await a.openRecord(binding('record'));
    expect(await r.put('k', '1', { ttlMs: 50 })).toEqual({ version: 1, expiresAt: 1_000_050 });
    clock.advance(49);
    expect(await r.get('k')).not.toBeNull();
    clock.advance(1);
    expect(await r.get('k')).toBeNull();
    expect((await a.probe()).at).toBe(new Date(1_000_050).toISOString());
    await a.close();
  });
});

describe('schema', () => {
  it('migrates an older namespace on open, in place, keeping its data', async () => {
    const path = tmp.file();
    const a = sqliteAdapter({ path, namespace: 'app' });
    await (await a.openRecord(binding('record'))).put('k', '"kept"');
    await a.close();
    const latest = NAMESPACE_MIGRATIONS.at(-1)!.version;
    const next: NamespaceMigration = {
      version: latest + 1,
      description: 'a note per record',
      up: (db, t) => db.exec(`ALTER TABLE ${t.records} ADD COLUMN note TEXT`),
    };
    const db = new Database(path);
    db.exec('BEGIN IMMEDIATE');
    const outcome = migrateNamespace(db, 'app', namespaceTables('app'), 0, [...NAMESPACE_MIGRATIONS, next]);
    db.exec('COMMIT');
    expect(outcome).toEqual({ from: latest, to: latest + 1 });
    expect(db.prepare(`SELECT key, note FROM ${namespaceTables('app').records}`).all()).toEqual([
      { key: 'k', note: null },
    ]);
    db.exec('BEGIN IMMEDIATE');
    expect(migrateNamespace(db, 'app', namespaceTables('app'), 0, [...NAMESPACE_MIGRATIONS, next])).toEqual({
      from: latest + 1,
      to: latest + 1,
    });
    db.exec('COMMIT');
    db.close();
    // This adapter knows versions up to `latest`: the namespace is now too new for it.
    expect(() => sqliteAdapter({ path, namespace: 'app' })).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' }),
    );
  });

  it('several instances opening one new file at once create it exactly once', async () => {
    const path = tmp.file();
    const adapters = Array.from({ length: 4 }, (_, i) => sqliteAdapter({ path, namespace: `n${i % 2}` }));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT namespace, schema_version FROM stateproof_namespaces ORDER BY namespace').all()).toEqual([
      { namespace: 'n0', schema_version: NAMESPACE_MIGRATIONS.at(-1)!.version },
      { namespace: 'n1', schema_version: NAMESPACE_MIGRATIONS.at(-1)!.version },
    ]);
    db.close();
    await Promise.all(adapters.map((a) => a.close()));
  });

  it('dropping a namespace removes its tables and nothing else', async () => {
    const path = tmp.file();
    for (const ns of ['keep', 'drop']) {
      const a = sqliteAdapter({ path, namespace: ns });
      await (await a.openRecord(binding('record'))).put('k', JSON.stringify(ns));
      await a.close();
    }
    expect(dropSqliteNamespace({ path, namespace: 'drop' }).tables).toBeGreaterThan(10);
    expect(dropSqliteNamespace({ path, namespace: 'drop' }).tables).toBe(0);
    const db = new Database(path, { readonly: true });
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((r) => r.name);
    db.close();
    expect(names.some((n) => n.startsWith(namespaceTables('drop').prefix))).toBe(false);
    const kept = sqliteAdapter({ path, namespace: 'keep' });
    expect((await (await kept.openRecord(binding('record'))).get('k'))?.value).toBe('"keep"');
    await kept.close();
    expect(dropSqliteNamespace({ path: tmp.file('never-created.db'), namespace: 'x' })).toEqual({ tables: 0 });
  });
});
