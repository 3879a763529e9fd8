import { Type } from '@sinclair/typebox';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createRegistry, openRuntime, queue, record } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';
import { tempDir } from './support/temp-db.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

it('the README example runs, and its state is there after a restart', async () => {
  const registry = createRegistry();
  const path = join(tmp.dir, 'state.db');
  // As in README.md (with a registry of its own, so that tests do not share the process-wide one).
  const orders = record('orders.by-id', {
    durability: 'restart-safe-local',
    value: Type.Object({ total: Type.Number() }),
    registry,
  });
  const jobs = queue('jobs.default', {
    durability: 'restart-safe-local',
    payload: Type.Object({ order: Type.String() }),
    registry,
  });

  const rt = await openRuntime({
    adapter: sqliteAdapter({ path }),
    app: 'shop',
    deployment: 'v1',
    mode: 'enforce',
    registry,
  });
  const { version } = await rt.use(orders).put('o-1', { total: 42 });
  await rt.use(orders).put('o-1', { total: 43 }, { ifVersion: version });
  const { id } = await rt.use(jobs).enqueue({ order: 'o-1' });
  const [task] = await rt.use(jobs).claim({ worker: 'w1', leaseMs: 30_000 });
  await rt.use(jobs).complete(task!, { shipped: true });
  await rt.close();

  const again = await openRuntime({
    adapter: sqliteAdapter({ path }),
    app: 'shop',
    deployment: 'v1',
    mode: 'enforce',
    registry: createRegistry(),
    surfaces: [orders, jobs],
  });
  expect(await again.use(orders).get('o-1')).toMatchObject({ value: { total: 43 }, version: version + 1 });
  expect(await again.use(jobs).get(id)).toMatchObject({ state: 'succeeded', result: { shipped: true }, attempts: 1 });
  expect(again.violations).toEqual([]);
  await again.close();
});
