// The stateproof quick start: declare surfaces with a durability class, bind them to the in-process
// memory adapter, use every kind once, and print the manifest fingerprint and the violations found.
// Run after `npm ci && npm run build`:  node examples/quickstart.mjs
import { Type } from '@sinclair/typebox';
import { claim, channel, createRegistry, dataspace, log, openRuntime, queue, record } from '@stateproof/core';
import { memoryAdapter } from '@stateproof/adapter-memory';

const registry = createRegistry(); // the process-wide registry is the default; a fresh one keeps the demo self-contained

// Surfaces are declared at module top level with literal ids: the linter and the manifest read these.
const orders = record('orders.by-id', {
  durability: 'ephemeral',
  value: Type.Object({ id: Type.String(), total: Type.Number({ minimum: 0 }) }),
  registry,
});
const audit = log('orders.audit', {
  durability: 'telemetry',
  value: Type.Object({ event: Type.String() }),
  retention: { maxEntries: 256 },
  registry,
});
const charges = claim('effects.charge-card', {
  durability: 'ephemeral',
  result: Type.Object({ receipt: Type.String() }),
  registry,
});
const jobs = queue('jobs.email', {
  durability: 'ephemeral',
  payload: Type.Object({ to: Type.String() }),
  retry: { maxAttempts: 3 },
  registry,
});
const routes = dataspace('presence.routes', {
  durability: 'ephemeral',
  value: Type.Object({ node: Type.String() }),
  registry,
});
const fanout = channel('ws.fanout', {
  durability: 'ephemeral',
  message: Type.Object({ text: Type.String() }),
  registry,
});
// A durable surface bound to memory is a contract violation: `warn` mode (the default) logs it once and goes on.
const ledger = record('billing.ledger', {
  durability: 'shared-durable',
  value: Type.Object({ cents: Type.Integer() }),
  registry,
});

const rt = await openRuntime({
  adapter: memoryAdapter({ namespace: 'quickstart' }),
  app: 'shop',
  deployment: 'build-1',
  registry,
  logger: { warn: (m) => console.log(`  warning: ${m}`) },
});

const o = rt.use(orders);
const { version } = await o.put('o-1', { id: 'o-1', total: 12.5 });
await o.put('o-1', { id: 'o-1', total: 15 }, { ifVersion: version });
const stale = await o.put('o-1', { id: 'o-1', total: 99 }, { ifVersion: version }).catch((e) => e.code);
console.log(`record: compare-and-set with a stale version -> ${stale}`);

const a = rt.use(audit);
const seqs = await a.appendBatch('o-1', [{ event: 'created' }, { event: 'paid' }]);
console.log(`log: sequences ${seqs.join(', ')}`);

const c = rt.use(charges);
const first = await c.acquire('charge:o-1', { owner: 'worker-a' });
await c.complete('charge:o-1', first.token, { receipt: 'r-77' });
const again = await c.acquire('charge:o-1', { owner: 'worker-b' });
console.log(`claim: second acquire -> ${again.status} with receipt ${again.result.receipt}`);

const q = rt.use(jobs);
await q.enqueue({ to: 'ada@example.com' }, { idempotencyKey: 'welcome:ada' });
const dup = await q.enqueue({ to: 'ada@example.com' }, { idempotencyKey: 'welcome:ada' });
const [task] = await q.claim({ worker: 'w1' });
await q.complete(task);
console.log(`queue: duplicate enqueue deduped=${dup.deduped}; counters ${JSON.stringify(await q.counters())}`);

const d = rt.use(routes);
const sub = await d.subscribe({ type: 'prefix', prefix: 'route:' });
const session = await d.openSession({ owner: 'node-a' });
await session.assert('route:/api', { node: 'node-a' });
await session.close();
const events = [];
for await (const e of sub) {
  events.push(e.type);
  if (events.length === 3) break;
}
console.log(`dataspace: subscriber saw ${events.join(' -> ')}`);

const f = rt.use(fanout);
const listener = await f.subscribe({ pattern: 'room:*' });
await f.publish('room:1', { text: 'hello' });
const { value: msg } = await listener.next();
await listener.close();
console.log(`channel: ${msg.topic} got "${msg.message.text}"`);

await rt.use(ledger).put('acct-1', { cents: 100 });
console.log(`manifest fingerprint: ${rt.fingerprint}`);
console.log(`violations: ${rt.violations.map((v) => `${v.code} (${v.subject}, ${v.action})`).join('; ') || 'none'}`);
await rt.close();
