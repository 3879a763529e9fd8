import type { QueueHandle, QueueSurface } from '@stateproof/core';
import { closedProperty } from '../common/closed-property.js';
import { defineQueue } from './queue-surface.js';

/** After close, every queue operation fails with STATEPROOF_CLOSED. */
export const queueClosedProperty = closedProperty<QueueSurface<unknown, unknown>>({
  kind: 'queue',
  requirement: 'QUE-034',
  define: (registry, cls) => defineQueue(registry, cls),
  operations: {
    enqueue: (h) => (h as QueueHandle<unknown, unknown>).enqueue(1),
    claim: (h) => (h as QueueHandle<unknown, unknown>).claim({ worker: 'w' }),
    counters: (h) => (h as QueueHandle<unknown, unknown>).counters(),
  },
});
