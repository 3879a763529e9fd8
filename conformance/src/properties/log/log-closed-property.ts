import type { LogHandle, LogSurface } from '@stateproof/core';
import { closedProperty } from '../common/closed-property.js';
import { defineLog } from './log-surface.js';

/** After close, every log operation fails with STATEPROOF_CLOSED. */
export const logClosedProperty = closedProperty<LogSurface<unknown>>({
  kind: 'log',
  requirement: 'LOG-028',
  define: (registry, cls) => defineLog(registry, cls),
  operations: {
    append: (h) => (h as LogHandle<unknown>).append('s', 1),
    read: (h) => (h as LogHandle<unknown>).read('s'),
    info: (h) => (h as LogHandle<unknown>).info('s'),
  },
});
