// The surfaces of the projection example and the code both of its processes share: an order log
// (the authority, restart-safe-local on SQLite), the per-customer totals derived from it (a derived
// projection, written only by its projector), a telemetry log beside them, and the fold that
// `project` applies batch by batch and the checks apply to the whole log at once.
import { Type } from '@sinclair/typebox';
import { createRegistry, log, openRuntime, record } from '@stateproof/core';
import { sqliteAdapter } from '@stateproof/adapter-sqlite';

/** The stream of the order log that the totals fold. */
export const STREAM = 'orders';

// One registry per process keeps the example self-contained (the process-wide one is the default).
const registry = createRegistry();

/** The source: every order, in order. Restart-safe-local: SQLite keeps each acknowledged append across a kill. */
export const ordersLog = log('shop.orders', {
  durability: 'restart-safe-local',
  value: Type.Object({ customer: Type.String(), cents: Type.Integer({ minimum: 0 }) }),
  registry,
});

/** The projection: per customer, how many orders and how much, derived from the log named by reference. */
export const totals = record('shop.customer-totals', {
  durability: 'derived-projection',
  source: ordersLog,
  value: Type.Object({ orders: Type.Integer(), cents: Type.Integer() }),
  registry,
});

/** Telemetry: what happened, best effort, bounded, never an authority (a projection of it is refused). */
export const checkouts = log('shop.checkout-events', {
  durability: 'telemetry',
  value: Type.Object({ customer: Type.String() }),
  retention: { maxEntries: 10_000 },
  telemetry: { buffer: 100, drop: 'oldest' },
  registry,
});

/** The n-th order of the example: deterministic, so that any run can be checked against another. */
export function order(n) {
  return { customer: `customer-${(n * 7) % 5}`, cents: 100 + ((n * 37) % 900) };
}

/** Opens the runtime on the SQLite file `path` (the same file in every process and after every restart). */
export function openShop(path) {
  return openRuntime({
    adapter: sqliteAdapter({ path, namespace: 'projection-example' }),
    app: 'shop',
    deployment: 'example',
    mode: 'enforce',
    registry,
    maintenanceIntervalMs: false,
  });
}

/**
 * The projector of the totals. `project` reads the committed total of each customer a batch
 * touches (`view`) and folds the batch's orders onto it; the runtime commits the puts together with
 * the cursor in one SQLite transaction. `beforeReturn` lets the worker announce each batch.
 */
export function projectTotals(rt, { batch = 10, beforeReturn } = {}) {
  return rt.project(totals, {
    source: ordersLog,
    stream: STREAM,
    batch,
    project: async (entries, view) => {
      const next = new Map();
      for (const { value } of entries) {
        const before = next.get(value.customer) ?? (await view.get(value.customer)) ?? { orders: 0, cents: 0 };
        next.set(value.customer, { orders: before.orders + 1, cents: before.cents + value.cents });
      }
      await beforeReturn?.(entries);
      return [...next].map(([customer, total]) => ({ put: customer, value: total }));
    },
  });
}

/** The fold of a list of orders from nothing: what the projection must equal. */
export function fold(entries) {
  const out = new Map();
  for (const { value } of entries) {
    const before = out.get(value.customer) ?? { orders: 0, cents: 0 };
    out.set(value.customer, { orders: before.orders + 1, cents: before.cents + value.cents });
  }
  return out;
}

/** Every entry of the order log, in order. */
export async function readOrders(rt) {
  const out = [];
  for (;;) {
    const page = await rt.use(ordersLog).read(STREAM, { after: out.at(-1)?.seq ?? 0, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** Every record of the projection, by customer. */
export async function readTotals(rt) {
  const out = new Map();
  let cursor;
  do {
    const page = await rt.use(totals).list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) out.set(r.key, r.value);
    cursor = page.cursor;
  } while (cursor);
  return out;
}
