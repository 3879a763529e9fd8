import type { PropertySpec } from '../../environment/property-spec.js';
import { telemetryBufferBoundProperty } from './telemetry-buffer-bound-property.js';
import { telemetryDropsProperty } from './telemetry-drops-property.js';
import { telemetryModelProperty } from './telemetry-model-property.js';
import { telemetryNonBlockingProperty } from './telemetry-non-blocking-property.js';

/**
 * The properties of the telemetry class (spec/contract/classes.md, TEL-001..TEL-005), one per check
 * the taxonomy requires of it: model, non-blocking-append, drops-counted and bounded-size.
 */
export const TELEMETRY_PROPERTIES: readonly PropertySpec[] = [
  telemetryModelProperty,
  telemetryNonBlockingProperty,
  telemetryDropsProperty,
  telemetryBufferBoundProperty,
];
