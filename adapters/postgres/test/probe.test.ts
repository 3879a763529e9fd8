import { afterAll, describe, expect, it } from 'vitest';
import { certify, type PostgresSettings } from '@stateproof/adapter-postgres';
import { checkDocument, ProbeResultSchema } from '@stateproof/spec';
import { PG_AVAILABLE, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

const durable: PostgresSettings = {
  server_version: '15.0',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_level: 'replica',
  data_checksums: 'off',
  synchronous_standby_names: '',
};
const adapter = { name: 'postgres', version: '0.1.0' };
const verdict = (s: Partial<PostgresSettings>) =>
  Object.fromEntries(certify({ ...durable, ...s }, adapter, new Date(0)).classes.map((c) => [c.class, c.certified]));
const reasons = (s: Partial<PostgresSettings>, cls: string) =>
  certify({ ...durable, ...s }, adapter, new Date(0))
    .classes.find((c) => c.class === cls)!
    .reasons.join(' ');

describe('postgres probe: what the settings certify', () => {
  it('certifies shared-durable only with fsync, full_page_writes and a synchronous commit, and says why not', () => {
    expect(verdict({})).toMatchObject({ 'shared-durable': true, 'derived-projection': true, ephemeral: true });
    for (const sc of ['on', 'local', 'remote_write', 'remote_apply'])
      expect(verdict({ synchronous_commit: sc })['shared-durable']).toBe(true);
    expect(verdict({ synchronous_commit: 'off' })).toMatchObject({
      'shared-durable': false,
      'derived-projection': true,
    });
    expect(reasons({ synchronous_commit: 'off' }, 'shared-durable')).toMatch(/synchronous_commit=off/);
    expect(verdict({ fsync: 'off' })).toMatchObject({ 'shared-durable': false, 'derived-projection': false });
    expect(reasons({ fsync: 'off' }, 'shared-durable')).toMatch(/fsync=off/);
    expect(verdict({ full_page_writes: 'off' })).toMatchObject({
      'shared-durable': false,
      'derived-projection': false,
    });
    expect(reasons({ full_page_writes: 'off' }, 'derived-projection')).toMatch(/full_page_writes=off/);
  });
});

describe.skipIf(!PG_AVAILABLE)('postgres probe of the live server', () => {
  it('reads fsync, synchronous_commit and full_page_writes and returns a valid probe result', async () => {
    const a = await schemas.open();
    const probe = await a.probe();
    expect(checkDocument(ProbeResultSchema, probe)).toEqual([]);
    expect(Object.keys(probe.settings)).toEqual(
      expect.arrayContaining(['fsync', 'synchronous_commit', 'full_page_writes']),
    );
    expect(probe.classes.map((c) => c.class).sort()).toEqual([
      'derived-projection',
      'ephemeral',
      'restart-safe-local',
      'shared-durable',
      'telemetry',
    ]);
  });
});
