import { afterAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createRegistry, openRuntime, record, type AnySurface, type Runtime } from '@stateproof/core';
import { PG_AVAILABLE, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

/** Two builds of one app: the second has one more surface, so their fingerprints differ. */
function builds(): { v1: AnySurface[]; v2: AnySurface[] } {
  const registry = createRegistry();
  const orders = record('orders.by-id', { durability: 'shared-durable', value: Type.Integer(), registry });
  const invoices = record('invoices.by-id', { durability: 'shared-durable', value: Type.Integer(), registry });
  return { v1: [orders], v2: [orders, invoices] };
}

describe.skipIf(!PG_AVAILABLE)('postgres deployment fingerprint registry', () => {
  it('refuses (enforce) or warns about (warn) a second process of the same deployment with another fingerprint; other deployments are unaffected', async () => {
    const first = await schemas.open();
    const ns = first.namespace;
    const { v1, v2 } = builds();
    const open: Runtime[] = [];
    try {
      const a = await openRuntime({
        adapter: first,
        app: 'shop',
        deployment: 'blue',
        surfaces: v1,
        registry: createRegistry(),
        mode: 'enforce',
        maintenanceIntervalMs: false,
        logger: { warn: () => undefined },
      });
      open.push(a);
      // Same fingerprint, same deployment: fine.
      open.push(
        await openRuntime({
          adapter: await schemas.open({ namespace: ns }),
          app: 'shop',
          deployment: 'blue',
          surfaces: v1,
          registry: createRegistry(),
          mode: 'enforce',
          maintenanceIntervalMs: false,
        }),
      );
      // Another fingerprint, same deployment, enforce: refused.
      const refused = await openRuntime({
        adapter: await schemas.open({ namespace: ns }),
        app: 'shop',
        deployment: 'blue',
        surfaces: v2,
        registry: createRegistry(),
        mode: 'enforce',
        maintenanceIntervalMs: false,
      }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'STATEPROOF_RUNTIME_MISMATCH' });
      // warn: starts, says so once.
      const warnings: string[] = [];
      const warned = await openRuntime({
        adapter: await schemas.open({ namespace: ns }),
        app: 'shop',
        deployment: 'blue',
        surfaces: v2,
        registry: createRegistry(),
        mode: 'warn',
        maintenanceIntervalMs: false,
        logger: { warn: (m) => warnings.push(m) },
      });
      open.push(warned);
      expect(warned.violations.map((v) => v.code)).toContain('STATEPROOF_RUNTIME_MISMATCH');
      expect(warnings.join('\n')).toContain('STATEPROOF_RUNTIME_MISMATCH');
      // Another deployment (a rolling deploy's new version) coexists.
      const green = await openRuntime({
        adapter: await schemas.open({ namespace: ns }),
        app: 'shop',
        deployment: 'green',
        surfaces: v2,
        registry: createRegistry(),
        mode: 'enforce',
        maintenanceIntervalMs: false,
      });
      open.push(green);
      expect(green.violations).toEqual([]);
    } finally {
      for (const rt of open) await rt.close();
    }
  });

  it('forgets members that closed or whose lease ran out', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const member = { app: 'shop', deployment: 'blue', fingerprint: 'sha256:aa' };
    expect(await a.deployments.register({ ...member, instance: 'one' }, 60_000)).toEqual([]);
    const peers = await b.deployments.register({ ...member, fingerprint: 'sha256:bb', instance: 'two' }, 80);
    expect(peers.map((p) => [p.instance, p.fingerprint])).toEqual([['one', 'sha256:aa']]);
    await a.deployments.unregister({ app: 'shop', deployment: 'blue', instance: 'one' });
    expect(await a.deployments.register({ ...member, instance: 'three' }, 60_000)).toMatchObject([{ instance: 'two' }]);
    await new Promise((r) => setTimeout(r, 150));
    expect(await a.deployments.register({ ...member, instance: 'three' }, 60_000)).toEqual([]);
  });
});
