// A derived projection killed and restarted (docs/conformance.md, "Derived projections and
// telemetry"). A child process appends orders to a log and projects them into per-customer totals
// on SQLite; it is killed with SIGKILL while its projector is in the middle of a batch. After the
// restart, the projection equals the fold of the log up to the committed cursor (the batch in flight
// was applied whole or not at all), the projector catches up from there, and a rebuild ends where
// the incremental projection did. Then telemetry beside it: a burst larger than its buffer, every
// drop counted, and a projection of telemetry refused.
// Run after `npm ci && npm run build`:  node examples/projection/run.mjs
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Type } from '@sinclair/typebox';
import { createRegistry, record } from '@stateproof/core';
import { checkouts, fold, openShop, projectTotals, readOrders, readTotals } from './shop.mjs';

const dir = mkdtempSync(join(tmpdir(), 'stateproof-projection-'));
const path = join(dir, 'shop.sqlite');
const failures = [];
function check(ok, what) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

// 1. The worker appends and projects until the kill: once 120 appends were acknowledged and the
//    projector has committed a few batches, the next batch it announces is the moment.
console.log('1. a worker appends orders and projects them; it is killed mid-batch');
const worker = fork(new URL('./worker.mjs', import.meta.url), [path], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let acknowledged = 0;
const inFlight = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('the worker made no progress in 60 s')), 60_000);
  worker.on('message', (m) => {
    if (m.type === 'appended') acknowledged = Math.max(acknowledged, m.seq);
    if (m.type === 'projecting' && acknowledged >= 120 && m.first > 30) {
      worker.kill('SIGKILL');
      clearTimeout(timer);
      resolve(m);
    }
  });
  worker.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`the worker exited (${code})`)));
});
await new Promise((resolve) =>
  worker.exitCode !== null || worker.signalCode !== null ? resolve() : worker.once('exit', resolve),
);
console.log(
  `  killed with SIGKILL after ${acknowledged} acknowledged appends, while projecting orders ${inFlight.first}..${inFlight.last}`,
);

// 2. The restart: a new runtime on the same file, and a new projector of the same projection.
console.log('2. restart: the projection equals the fold of the log up to its cursor');
const rt = await openShop(path);
const projector = projectTotals(rt);
const { cursor, head, lag } = await projector.lag();
console.log(`  cursor ${cursor}, log head ${head}, lag ${lag}`);
const orders = await readOrders(rt);
check(head >= acknowledged, `every acknowledged order survived the kill (head ${head} >= ${acknowledged})`);
check(
  orders.every((e, i) => e.seq === i + 1),
  `the log holds orders 1..${orders.length} without a gap`,
);
check(
  cursor === inFlight.first - 1 || cursor >= inFlight.last,
  cursor === inFlight.first - 1
    ? `the batch in flight (${inFlight.first}..${inFlight.last}) left no trace: its writes and its cursor are one commit`
    : `the batch in flight (${inFlight.first}..${inFlight.last}) was committed whole before the kill`,
);
check(
  isDeepStrictEqual(await readTotals(rt), fold(orders.filter((e) => e.seq <= cursor))),
  `the totals equal the fold of orders 1..${cursor}: none applied twice, none skipped`,
);

// 3. The projector goes on from the cursor, and a rebuild replays the log from its first entry.
console.log('3. catch up from the cursor, then rebuild from the start');
const caughtUp = await projector.catchUp();
check(caughtUp.applied === head - cursor, `catchUp applied the ${head - cursor} orders after the cursor`);
const incremental = await readTotals(rt);
check(isDeepStrictEqual(incremental, fold(orders)), `the totals equal the fold of all ${orders.length} orders`);
check((await projector.lag()).lag === 0, 'lag is 0');
const rebuilt = await projector.rebuild();
check(
  rebuilt.cursor === head && isDeepStrictEqual(await readTotals(rt), incremental),
  `rebuild replayed ${rebuilt.applied} orders and ended equal to the incremental projection`,
);
for (const [customer, total] of [...incremental].sort(([a], [b]) => (a < b ? -1 : 1)))
  console.log(`    ${customer}: ${total.orders} orders, ${(total.cents / 100).toFixed(2)}`);

// 4. Telemetry: emit never waits; a burst larger than the buffer drops by the declared policy
//    (oldest) and counts every drop; what was kept arrives in order.
console.log('4. telemetry: a burst of 250 emits into a buffer of 100 (drop: oldest)');
const events = rt.use(checkouts);
for (let n = 1; n <= 250; n++) events.emit('checkouts', { customer: `burst-${n}` });
const during = events.stats();
await events.flush();
const after = events.stats();
console.log(`  right after the burst ${JSON.stringify(during)}; after flush ${JSON.stringify(after)}`);
const kept = (await events.read('checkouts', { limit: 1000 })).map((e) => e.value.customer);
check(
  during.appended + during.dropped + during.pending === 250 && after.appended + after.dropped === 250,
  'appended + dropped + pending = emitted, before and after the flush',
);
check(
  after.dropped === 150 && kept.length === 100 && kept[0] === 'burst-151' && kept.at(-1) === 'burst-250',
  'the oldest 150 were dropped and counted; the newest 100 arrived in emit order',
);
try {
  record('shop.checkouts-per-customer', {
    durability: 'derived-projection',
    source: checkouts,
    value: Type.Integer(),
    registry: createRegistry(),
  });
  check(false, 'a projection of telemetry is refused');
} catch (error) {
  check(error.code === 'STATEPROOF_INVALID_OPTIONS', `a projection of telemetry is refused: ${error.message}`);
}

await rt.close();
rmSync(dir, { recursive: true, force: true });
if (failures.length > 0) {
  console.log(`FAILED: ${failures.length} check(s)`);
  process.exit(1);
}
console.log('all checks passed');
