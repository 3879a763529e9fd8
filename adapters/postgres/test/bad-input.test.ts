import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresAdapter, postgresAdapter } from '@stateproof/adapter-postgres';
import { createRegistry, openRuntime, record } from '@stateproof/core';
import { Type } from '@sinclair/typebox';
import { freshSchema, PG_AVAILABLE, PG_URL, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

/** PG_URL with one part replaced. */
function urlWith(change: (u: URL) => void): string {
  const u = new URL(PG_URL);
  change(u);
  return u.toString();
}

describe('postgres adapter options', () => {
  it('refuses malformed URLs and options with STATEPROOF_INVALID_OPTIONS naming the option, without echoing a password', () => {
    const bad = (options: Record<string, unknown>) => {
      try {
        postgresAdapter(options as never);
      } catch (error) {
        return error as { code: string; path: string; message: string };
      }
      throw new Error('accepted');
    };
    expect(bad({ url: 'not a url' })).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'url' });
    const leaked = bad({ url: 'mysql://root:s3cret@localhost/db' });
    expect(leaked).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'url' });
    expect(leaked.message).not.toContain('s3cret');
    expect(bad({ url: 42 })).toMatchObject({ path: 'url' });
    for (const namespace of ['', 'pg_catalog', 'public', 'information_schema', 'x'.repeat(64), 'tab\there']) {
      expect(bad({ namespace })).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path: 'namespace' });
    }
    expect(bad({ maxConnections: 0 })).toMatchObject({ path: 'maxConnections' });
    expect(bad({ pollIntervalMs: -1 })).toMatchObject({ path: 'pollIntervalMs' });
    expect(bad({ notify: 'yes' })).toMatchObject({ path: 'notify' });
    expect(bad({ urll: PG_URL })).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS' });
  });
});

describe.skipIf(!PG_AVAILABLE)('postgres adapter against an unreachable or refusing server', () => {
  it('a port nobody listens on is the retryable STATEPROOF_BACKEND_UNAVAILABLE', async () => {
    const error = await openPostgresAdapter({
      url: urlWith((u) => (u.port = '1')),
      namespace: freshSchema(),
      connectTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: true });
  });

  it('a role the server refuses, or a database that does not exist, is STATEPROOF_BACKEND_UNAVAILABLE that is not retryable', async () => {
    const role = await openPostgresAdapter({
      url: urlWith((u) => (u.username = 'stateproof_no_such_role')),
      namespace: freshSchema(),
    }).catch((e: unknown) => e);
    expect(role).toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: false });
    expect((role as { hint: string }).hint).toMatch(/role|user/);
    const db = await openPostgresAdapter({
      url: urlWith((u) => (u.pathname = '/stateproof_no_such_db')),
      namespace: freshSchema(),
    }).catch((e: unknown) => e);
    expect(db).toMatchObject({
      code: 'STATEPROOF_BACKEND_UNAVAILABLE',
      retryable: false,
      details: { sqlstate: '3D000' },
    });
  });

  it('an operation through a runtime on an unreachable server fails typed, and the adapter works once the server is there', async () => {
    const namespace = schemas.track(freshSchema());
    const registry = createRegistry();
    const s = record('pg.bad-input', { durability: 'shared-durable', value: Type.Integer(), registry });
    const down = postgresAdapter({ url: urlWith((u) => (u.port = '1')), namespace, connectTimeoutMs: 1000 });
    await expect(
      openRuntime({ adapter: down, app: 'a', deployment: 'd', registry, surfaces: [s], maintenanceIntervalMs: false }),
    ).rejects.toMatchObject({ code: 'STATEPROOF_BACKEND_UNAVAILABLE', retryable: true });
    await down.close();
    const up = await schemas.open({ namespace });
    const rt = await openRuntime({
      adapter: up,
      app: 'a',
      deployment: 'd',
      registry,
      surfaces: [s],
      maintenanceIntervalMs: false,
      mode: 'enforce',
    });
    await rt.use(s).put('k', 1);
    expect((await rt.use(s).get('k'))?.value).toBe(1);
    await rt.close();
  });

  it('after close every operation is STATEPROOF_CLOSED', async () => {
    const a = await schemas.open();
    const store = await a.openLog({ surfaceId: 'l', kind: 'log', class: 'shared-durable', space: 'sp1:x:a:app:l:' });
    await store.append('s', ['x']);
    await a.close();
    await expect(store.append('s', ['y'])).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await expect(a.probe()).rejects.toMatchObject({ code: 'STATEPROOF_CLOSED' });
    await a.close(); // idempotent
  });
});
