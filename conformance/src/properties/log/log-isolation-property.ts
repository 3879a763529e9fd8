import type { LogSurface } from '@stateproof/core';
import { isolationProperty } from '../common/isolation-property.js';
import { defineLog } from './log-surface.js';

/** Streams with tricky names never reach another surface or namespace. */
export const logIsolationProperty = isolationProperty<LogSurface<unknown>>({
  kind: 'log',
  requirement: 'LOG-027',
  define: (registry, cls, id) => defineLog(registry, cls, id),
  write: async (rt, s, key) => void (await rt.use(s).append(key, key)),
  visible: async (rt, s, key) => (await rt.use(s).info(key)).last > 0,
});
