import type { PropertySpec } from '../../environment/property-spec.js';
import { logProjectionModelProperty, recordProjectionModelProperty } from './projection-model-property.js';
import { logProjectionRebuildProperty, recordProjectionRebuildProperty } from './projection-rebuild-property.js';
import { logProjectionReopenProperty, recordProjectionReopenProperty } from './projection-reopen-property.js';
import {
  logProjectionSingleWriterProperty,
  recordProjectionSingleWriterProperty,
} from './projection-single-writer-property.js';

/**
 * The properties of the derived-projection class (spec/contract/classes.md, PRJ-001..007), for
 * record and log projections: the class's model, reopen, rebuild-from-source and single-writer
 * checks (process-crash is the crash harness's).
 */
export const PROJECTION_PROPERTIES: readonly PropertySpec[] = [
  recordProjectionModelProperty,
  logProjectionModelProperty,
  recordProjectionReopenProperty,
  logProjectionReopenProperty,
  recordProjectionRebuildProperty,
  logProjectionRebuildProperty,
  recordProjectionSingleWriterProperty,
  logProjectionSingleWriterProperty,
];
