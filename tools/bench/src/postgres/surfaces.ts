import { createRegistry, log, queue, record } from '@stateproof/core';

/** The schema type the definition functions take (TypeBox's TSchema); plain JSON Schema is accepted at run time. */
type Schema = Parameters<typeof record>[1]['value'];

/** What every benchmark writes: a small order document (about 100 bytes of JSON), the same for every system. */
export interface Order {
  readonly id: string;
  readonly customer: string;
  readonly total: number;
  readonly items: readonly string[];
}

/** The JSON Schema of an {@link Order}, shared by every benchmark's surfaces. */
export const ORDER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    customer: { type: 'string', maxLength: 64 },
    total: { type: 'number', minimum: 0 },
    items: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 100 },
  },
  required: ['id', 'customer', 'total', 'items'],
  additionalProperties: false,
} as unknown as Schema;
const ORDER = ORDER_SCHEMA;

/** The order number `n`. */
export function order(n: number): Order {
  return {
    id: `order-${String(n).padStart(8, '0')}`,
    customer: `customer-${n % 977}`,
    total: Math.round((n % 10_000) * 1.25 * 100) / 100,
    items: ['sku-1041', 'sku-2203', 'sku-3377'],
  };
}

/** The benchmark's own registry, so it neither sees nor seals the process-wide one. */
export const benchRegistry = createRegistry();

export const benchOrders = record('bench.orders', {
  durability: 'shared-durable',
  value: ORDER,
  registry: benchRegistry,
  owner: 'bench',
  recovery: 'benchmark data, dropped after the run',
});
export const benchEvents = log('bench.events', {
  durability: 'shared-durable',
  value: ORDER,
  registry: benchRegistry,
  owner: 'bench',
  recovery: 'benchmark data, dropped after the run',
});
export const benchJobs = queue('bench.jobs', {
  durability: 'shared-durable',
  payload: ORDER,
  registry: benchRegistry,
  owner: 'bench',
  recovery: 'benchmark data, dropped after the run',
});

export const BENCH_SURFACES = [benchOrders, benchEvents, benchJobs];
