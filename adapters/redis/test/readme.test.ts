import { Type } from '@sinclair/typebox';
import { afterAll, expect, it } from 'vitest';
import { createRegistry, openRuntime, queue, record } from '@stateproof/core';
import { redisAdapter } from '@stateproof/adapter-redis';
import { dropRedisNamespace, type RedisServer } from '@stateproof/adapter-redis/conformance';
import {
  durableServer,
  freshNamespace,
  OWN_SERVER_AVAILABLE,
  REDIS_AVAILABLE,
  REDIS_URL,
} from './redis-test-server.js';

const server: RedisServer | undefined = OWN_SERVER_AVAILABLE ? await durableServer() : undefined;
afterAll(() => server?.stop());

/** The README's surfaces, in a registry of their own (tests do not share the process-wide one). */
function surfaces() {
  const registry = createRegistry();
  const orders = record('orders.by-id', {
    durability: 'shared-durable',
    value: Type.Object({ total: Type.Number() }),
    registry,
  });
  const jobs = queue('jobs.default', {
    durability: 'shared-durable',
    payload: Type.Object({ order: Type.String() }),
    registry,
  });
  return { registry, orders, jobs };
}

it.skipIf(!server)('the README example runs on a durable server, and another process sees its state', async () => {
  const url = server!.url;
  const namespace = freshNamespace('shop');
  const { registry, orders, jobs } = surfaces();
  // As in README.md.
  const rt = await openRuntime({
    adapter: redisAdapter({ url, namespace }),
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
    adapter: redisAdapter({ url, namespace }),
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

it.skipIf(!REDIS_AVAILABLE)(
  'in enforce mode, a server without persistence is refused with the setting to change (as the README says)',
  async () => {
    const namespace = freshNamespace('shop');
    const { registry } = surfaces();
    const adapter = redisAdapter({ url: REDIS_URL, namespace });
    const probe = await adapter.probe();
    // Only meaningful where the shared server keeps nothing on disk, as the machine's does.
    if (probe.classes.find((c) => c.class === 'shared-durable')?.certified) return;
    await expect(
      openRuntime({ adapter, app: 'shop', deployment: 'v1', mode: 'enforce', registry }),
    ).rejects.toMatchObject({ code: 'STATEPROOF_CLASS_NOT_CERTIFIED', message: expect.stringContaining('appendonly') });
    await adapter.close();
    await dropRedisNamespace({ url: REDIS_URL, namespace });
  },
);
