import type { PropertySpec } from '../../environment/property-spec.js';
import { logModelRun } from './log-model-run.js';

/** Appends (single and batch) from two clients, reads from anywhere, info and cursors, against the log model. */
export const logModelProperty: PropertySpec = {
  name: 'log/model',
  kind: 'log',
  requirements: [
    'LOG-001',
    'LOG-002',
    'LOG-003',
    'LOG-004',
    'LOG-005',
    'LOG-006',
    'LOG-007',
    'LOG-012',
    'LOG-013',
    'LOG-014',
  ],
  applies: (env) => (env.cls === 'telemetry' ? 'telemetry logs are bounded; log/retention covers them' : true),
  property: (env) => logModelRun(env, [{}], env.capabilities.kinds.log?.features.cursors === true),
};
