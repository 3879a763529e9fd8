import type { PropertySpec } from '../../environment/property-spec.js';
import { recordConnectionLossProperty } from './record-connection-loss-property.js';
import { recordReopenProperty } from './record-reopen-property.js';
import { recordCapabilityProperties } from './record-capability-property.js';
import { recordConcurrencyProperty } from './record-concurrency-property.js';
import { recordEnvelopeProperty } from './record-envelope-property.js';
import { recordIsolationProperty } from './record-isolation-property.js';
import { recordLimitsProperty } from './record-limits-property.js';
import { recordDefaultTtlProperty, recordModelProperty } from './record-model-property.js';
import { recordExpiryToleranceProperty } from './record-expiry-tolerance-property.js';
import { recordOptionsProperty } from './record-options-property.js';
import { recordOrderProperty } from './record-order-property.js';
import { recordPagingProperty } from './record-paging-property.js';

/** Every record property. */
export const RECORD_PROPERTIES: readonly PropertySpec[] = [
  recordModelProperty,
  recordDefaultTtlProperty,
  recordExpiryToleranceProperty,
  recordPagingProperty,
  recordOrderProperty,
  recordOptionsProperty,
  recordLimitsProperty,
  recordIsolationProperty,
  recordEnvelopeProperty,
  ...recordCapabilityProperties,
  recordConcurrencyProperty,
  recordReopenProperty,
  recordConnectionLossProperty,
];
