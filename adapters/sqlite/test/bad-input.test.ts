import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  FILE_SCHEMA_VERSION,
  sqliteAdapter,
  type SqliteAdapterOptions,
} from '@stateproof/adapter-sqlite';
import { binding } from './support/binding.js';
import { tempDir } from './support/temp-db.js';
import { reachableByOthers, spawnChild } from './child/spawn-child.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The typed error `sqliteAdapter(options)` throws (it must throw). */
function openError(options: SqliteAdapterOptions): { code: string; message: string; hint?: string; path?: string } {
  try {
    sqliteAdapter(options);
  } catch (error) {
    return error as { code: string; message: string; hint?: string; path?: string };
  }
  throw new Error('sqliteAdapter opened, but it should have refused');
}

/** A valid stateproof database holding one record, closed. */
async function populated(file: string): Promise<void> {
  const a = sqliteAdapter({ path: file, namespace: 'app' });
  await (await a.openRecord(binding('record'))).put('k', '"v"');
  await a.close();
}

describe('files the adapter must refuse, without changing them', () => {
  it('a file that is not a SQLite database: STATEPROOF_BACKEND_CORRUPT', () => {
    for (const content of ['{"orders": []}\n', 'SQLite format 2\u0000 and then some', 'x']) {
      const file = tmp.file();
      writeFileSync(file, content);
      const before = digest(file);
      const e = openError({ path: file });
      expect(e.code).toBe('STATEPROOF_BACKEND_CORRUPT');
      expect(e.message).toContain('not a SQLite database');
      expect(e.hint).toMatch(/restore|right file/);
      expect(digest(file)).toBe(before);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
  });

  it('a SQLite file with a damaged header or schema page: STATEPROOF_BACKEND_CORRUPT', async () => {
    const file = tmp.file();
    await populated(file);
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 100, 4096); // page 1 after the header: the schema table
    writeFileSync(file, bytes);
    const before = digest(file);
    expect(openError({ path: file, namespace: 'app' }).code).toBe('STATEPROOF_BACKEND_CORRUPT');
    expect(digest(file)).toBe(before);
  });

  it('a page damaged behind a valid schema surfaces as STATEPROOF_BACKEND_CORRUPT when it is read', async () => {
    const file = tmp.file();
    const a = sqliteAdapter({ path: file, namespace: 'app' });
    const records = await a.openRecord(binding('record'));
    for (let i = 0; i < 400; i++) await records.put(`key-${i}`, JSON.stringify('x'.repeat(200)));
    await a.close();
    const db = new Database(file, { readonly: true });
    const root = (
      db.prepare("SELECT rootpage FROM sqlite_master WHERE name LIKE '%records'").get() as { rootpage: number }
    ).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xff, (root - 1) * pageSize, root * pageSize);
    writeFileSync(file, bytes);
    const b = sqliteAdapter({ path: file, namespace: 'app' });
    const damaged = await b.openRecord(binding('record'));
    await expect(damaged.get('key-7')).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_CORRUPT' });
    await b.close();
  });

  it("another application's SQLite database: STATEPROOF_BACKEND_INCOMPATIBLE", () => {
    const file = tmp.file();
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE orders (id TEXT PRIMARY KEY, total REAL); INSERT INTO orders VALUES ('o1', 9.5)");
    foreign.close();
    const before = digest(file);
    const e = openError({ path: file });
    expect(e.code).toBe('STATEPROOF_BACKEND_INCOMPATIBLE');
    expect(e.message).toContain('another application');
    expect(e.hint).toContain('path of its own');
    expect(digest(file)).toBe(before);

    const tagged = tmp.file();
    const other = new Database(tagged);
    other.pragma('application_id = 1234');
    other.close();
    expect(openError({ path: tagged }).code).toBe('STATEPROOF_BACKEND_INCOMPATIBLE');
  });

  it('a file written by a newer adapter (file or namespace schema): STATEPROOF_BACKEND_INCOMPATIBLE, nothing migrated', async () => {
    const file = tmp.file();
    await populated(file);
    const db = new Database(file);
    db.pragma(`user_version = ${FILE_SCHEMA_VERSION + 1}`);
    db.close();
    const before = digest(file);
    const e = openError({ path: file, namespace: 'app' });
    expect(e.code).toBe('STATEPROOF_BACKEND_INCOMPATIBLE');
    expect(e.message).toContain(`file schema version ${FILE_SCHEMA_VERSION + 1}`);
    expect(e.hint).toContain('upgrade the adapter');
    expect(digest(file)).toBe(before);

    const file2 = tmp.file();
    await populated(file2);
    const db2 = new Database(file2);
    db2.prepare('UPDATE stateproof_namespaces SET schema_version = 99 WHERE namespace = ?').run('app');
    expect(db2.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db2.close();
    const e2 = openError({ path: file2, namespace: 'app' });
    expect(e2).toMatchObject({ code: 'STATEPROOF_BACKEND_INCOMPATIBLE' });
    expect(e2.message).toContain('schema version 99');
    // Other namespaces of the same file are still usable.
    const ok = sqliteAdapter({ path: file2, namespace: 'other' });
    await ok.close();
  });

  it('a read-only file or directory: STATEPROOF_BACKEND_READ_ONLY, nothing written', async (ctx) => {
    // Permissions do not bind root, so the check runs in a child process as `nobody` when we are root.
    const root = process.getuid?.() === 0;
    const sources = fileURLToPath(import.meta.url);
    if (root && !reachableByOthers(sources)) {
      console.warn(
        `\n*** read-only test SKIPPED: run as root, it needs a child as \`nobody\`, which cannot reach this checkout (${sources}); clone into a folder others can enter (chmod o+x on its parents). ***\n`,
      );
      ctx.skip();
    }
    const dir = join(tmp.dir, 'ro');
    mkdirSync(dir);
    const file = join(dir, 'state.db');
    await populated(file);
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    chmodSync(tmp.dir, 0o755);
    const before = digest(file);
    const attempt = async (options: SqliteAdapterOptions) => {
      if (!root) return openError(options);
      const child = spawnChild({ role: 'open', options }, { uid: 65534, gid: 65534 });
      const r = await Promise.race([child.next('error'), child.next('opened').then(() => ({ code: 'opened' }))]);
      await child.exited;
      return r as { code: string; message: string; hint?: string };
    };
    if (root) {
      // Transpile the sources once as root (the cache is not writable by `nobody`), so the two children start fast.
      const warm = spawnChild({ role: 'open', options: { path: tmp.file() } });
      await warm.exited;
    }
    const [onFile, inDir] = await Promise.all([
      attempt({ path: file, namespace: 'app' }),
      attempt({ path: join(dir, 'new.db') }),
    ]);
    expect(onFile.code).toBe('STATEPROOF_BACKEND_READ_ONLY');
    expect(onFile.hint).toContain('write access');
    expect(inDir.code).toBe('STATEPROOF_BACKEND_READ_ONLY');
    expect(inDir.message).toContain('directory');
    expect(digest(file)).toBe(before);
    expect(existsSync(join(dir, 'new.db'))).toBe(false);
    chmodSync(dir, 0o755);
  }, 30_000);

  it('bad options are STATEPROOF_INVALID_OPTIONS naming the option', () => {
    const bad: Array<[unknown, string]> = [
      [undefined, 'path'],
      [{}, 'path'],
      [{ path: '' }, 'path'],
      [{ path: tmp.file(), namespace: '' }, 'namespace'],
      [{ path: tmp.file(), namespace: 'a\u0000b' }, 'namespace'],
      [{ path: tmp.file(), synchronous: 'sometimes' }, 'synchronous'],
      [{ path: tmp.file(), journalMode: 'wall' }, 'journalMode'],
      [{ path: tmp.file(), busyTimeoutMs: -1 }, 'busyTimeoutMs'],
      [{ path: tmp.file(), pollIntervalMs: 1.5 }, 'pollIntervalMs'],
      [{ path: tmp.file(), clock: Date.now }, 'clock'],
      [{ path: tmp.file(), file: 'x' }, 'file'],
      [{ path: join(tmp.dir, 'missing', 'x.db') }, 'path'],
      [{ path: tmp.dir }, 'path'],
    ];
    for (const [options, path] of bad) {
      const e = openError(options as SqliteAdapterOptions);
      expect(e, JSON.stringify(options)).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path });
    }
  });
});
