import type { PropertySpec } from '../../environment/property-spec.js';
import { recordModelRun } from './record-model-run.js';

/** The commands of record/model on a surface with a default TTL: records without an explicit TTL expire after it. */
export const recordDefaultTtlProperty: PropertySpec = {
  name: 'record/default-ttl',
  kind: 'record',
  requirements: ['REC-020', 'REC-018'],
  features: ['ttl'],
  exactTime: true,
  weight: 0.5,
  property: recordModelRun(true),
};
