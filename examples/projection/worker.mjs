// The process the example kills: it appends orders to the log and, at the same time, its projector
// follows the log's tail and folds them into the totals. It tells its parent (over the IPC channel)
// each append the backend acknowledged and each batch the projector is about to return, and runs
// until it is killed. Run by run.mjs; not meant to be started by hand.
import { STREAM, openShop, order, ordersLog, projectTotals } from './shop.mjs';

const [path] = process.argv.slice(2);
const rt = await openShop(path);
const send = (message) => new Promise((resolve) => process.send(message, resolve));

// A projection that takes a moment per batch (as one that computes or calls out would), so that
// the log runs ahead of it and the parent's kill lands while a batch is being projected.
const projector = projectTotals(rt, {
  beforeReturn: async (entries) => {
    await send({ type: 'projecting', first: entries[0].seq, last: entries.at(-1).seq });
    await new Promise((resolve) => setTimeout(resolve, 20));
  },
});
projector.start();

const orders = rt.use(ordersLog);
for (let n = 1; ; n++) {
  const seq = await orders.append(STREAM, order(n));
  await send({ type: 'appended', seq });
}
