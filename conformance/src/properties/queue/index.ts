import type { PropertySpec } from '../../environment/property-spec.js';
import { queueBackoffProperty } from './queue-backoff-property.js';
import { queueBackoffToleranceProperty } from './queue-backoff-tolerance-property.js';
import { queueClaimOrderProperty } from './queue-claim-order-property.js';
import { queueCancelProperty } from './queue-cancel-property.js';
import { queueClosedProperty } from './queue-closed-property.js';
import { queueConcurrencyProperty } from './queue-concurrency-property.js';
import { queueConnectionLossProperty } from './queue-connection-loss-property.js';
import { queueEnvelopeProperty } from './queue-envelope-property.js';
import { queueFencingProperty } from './queue-fencing-property.js';
import { queueIsolationProperty } from './queue-isolation-property.js';
import { queueLeaseToleranceProperty } from './queue-lease-tolerance-property.js';
import { queueLeaseAtWriteProperty } from './queue-lease-at-write-property.js';
import { queueLimitsProperty } from './queue-limits-property.js';
import { queueMaxRuntimeProperty } from './queue-max-runtime-property.js';
import { queueMaxRuntimeToleranceProperty } from './queue-max-runtime-tolerance-property.js';
import { queueModelProperty } from './queue-model-property.js';
import { queueReopenProperty } from './queue-reopen-property.js';
import { queueRetentionProperty } from './queue-retention-property.js';
import { queueUnclaimedFeaturesProperty } from './queue-unclaimed-features-property.js';

/** Every queue property, in the order the suite runs them. */
export const QUEUE_PROPERTIES: readonly PropertySpec[] = [
  queueModelProperty,
  queueClaimOrderProperty,
  queueBackoffProperty,
  queueFencingProperty,
  queueLeaseToleranceProperty,
  queueBackoffToleranceProperty,
  queueMaxRuntimeProperty,
  queueMaxRuntimeToleranceProperty,
  queueLeaseAtWriteProperty,
  queueCancelProperty,
  queueLimitsProperty,
  queueIsolationProperty,
  queueEnvelopeProperty,
  queueUnclaimedFeaturesProperty,
  queueClosedProperty,
  queueReopenProperty,
  queueRetentionProperty,
  queueConnectionLossProperty,
  queueConcurrencyProperty,
];
