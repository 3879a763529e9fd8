import type { PropertySpec } from '../../environment/property-spec.js';
import { recordModelRun } from './record-model-run.js';

/** Put (with every CAS form and TTLs), get, delete (with CAS), paged list and time, against the record model. */
export const recordModelProperty: PropertySpec = {
  name: 'record/model',
  kind: 'record',
  requirements: [
    'REC-001',
    'REC-002',
    'REC-003',
    'REC-004',
    'REC-005',
    'REC-006',
    'REC-007',
    'REC-008',
    'REC-009',
    'REC-011',
    'REC-012',
    'REC-013',
    'REC-014',
    'REC-015',
    'REC-018',
    'REC-019',
  ],
  property: recordModelRun(false),
};
