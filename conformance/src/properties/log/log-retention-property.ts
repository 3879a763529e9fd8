import type { PropertySpec } from '../../environment/property-spec.js';
import { logModelRun } from './log-model-run.js';

/** The commands of log/model, without cursors, on surfaces retaining by count, by age (with time moving) or both. */
export const logRetentionProperty: PropertySpec = {
  name: 'log/retention',
  kind: 'log',
  requirements: ['LOG-008', 'LOG-009', 'LOG-010', 'LOG-005', 'LOG-007', 'LOG-002', 'LOG-003'],
  features: ['retention'],
  exactTime: true,
  property: (env) => logModelRun(env, [{ maxEntries: 3 }, { maxAgeMs: 40 }, { maxEntries: 4, maxAgeMs: 40 }], false),
};
