import { createRegistry, log, queue, record } from '@stateproof/core';
import { ORDER_SCHEMA, type Order } from '../postgres/surfaces.js';

const ORDER = ORDER_SCHEMA;

/** How long a finished task is kept (the queue's `retention.finishedMs`) and how old a log entry may get. */
export const SOAK_RETENTION_MS = 1_000;
/** The runtime's maintenance period (as in production: the default). */
export const SOAK_MAINTENANCE_MS = 1_000;

/** The soak's own registry, so it neither sees nor seals the process-wide one. */
export const soakRegistry = createRegistry();

const common = {
  durability: 'shared-durable',
  registry: soakRegistry,
  owner: 'bench',
  recovery: 'benchmark data, dropped after the run',
} as const;

/** Records written alongside the queue: a fixed set of keys, overwritten, so the table stays bounded. */
export const soakOrders = record('soak.orders', { ...common, value: ORDER });
/** A log appended alongside the queue, kept bounded by age. */
export const soakEvents = log('soak.events', {
  ...common,
  value: ORDER,
  retention: { maxAgeMs: SOAK_RETENTION_MS },
});
/** The queue under load, with a short retention so finished tasks are pruned during the run. */
export const soakJobs = queue('soak.jobs', {
  ...common,
  payload: ORDER,
  retention: { finishedMs: SOAK_RETENTION_MS },
});
/** Only for the probe that tells a real prune from a placeholder: finished tasks are due at once. */
export const soakProbeJobs = queue('soak.probe', { ...common, payload: ORDER, retention: { finishedMs: 1 } });

/** What the load binds. */
export const SOAK_SURFACES = [soakOrders, soakEvents, soakJobs];

export type { Order };
