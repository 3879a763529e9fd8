import type { PropertySpec } from '../../environment/property-spec.js';
import { recordClosedProperty } from './record-closed-property.js';
import { recordConcurrencyProperty } from './record-concurrency-property.js';
import { recordConnectionLossProperty } from './record-connection-loss-property.js';
import { recordDefaultTtlProperty } from './record-default-ttl-property.js';
import { recordEnvelopeProperty } from './record-envelope-property.js';
import { recordExpiryBoundaryProperty } from './record-expiry-boundary-property.js';
import { recordExpiryToleranceProperty } from './record-expiry-tolerance-property.js';
import { recordKeyIsolationProperty } from './record-key-isolation-property.js';
import { recordKeyOrderProperty } from './record-key-order-property.js';
import { recordLimitsProperty } from './record-limits-property.js';
import { recordListUnderWritesProperty } from './record-list-under-writes-property.js';
import { recordModelProperty } from './record-model-property.js';
import { recordOptionsProperty } from './record-options-property.js';
import { recordReopenProperty } from './record-reopen-property.js';
import { recordTtlUnclaimedProperty } from './record-ttl-unclaimed-property.js';

/** Every record property, in the order the suite runs them. */
export const RECORD_PROPERTIES: readonly PropertySpec[] = [
  recordModelProperty,
  recordDefaultTtlProperty,
  recordExpiryBoundaryProperty,
  recordExpiryToleranceProperty,
  recordListUnderWritesProperty,
  recordKeyOrderProperty,
  recordOptionsProperty,
  recordLimitsProperty,
  recordKeyIsolationProperty,
  recordEnvelopeProperty,
  recordTtlUnclaimedProperty,
  recordClosedProperty,
  recordConcurrencyProperty,
  recordReopenProperty,
  recordConnectionLossProperty,
];
