import type { PropertySpec } from '../../environment/property-spec.js';
import { queueConcurrencyProperty } from './queue-concurrency-property.js';
import { queueConnectionLossProperty } from './queue-connection-loss-property.js';
import { queueReopenProperty } from './queue-reopen-property.js';
import { queueClosedProperty, queueEnvelopeProperty, queueIsolationProperty, queueLimitsProperty, queueUnclaimedProperty } from './queue-misc-properties.js';
import { queueModelProperty } from './queue-model-property.js';
import { queueBackoffToleranceProperty, queueLeaseToleranceProperty, queueMaxRuntimeToleranceProperty } from './queue-expiry-tolerance-property.js';
import { queueBackoffProperty, queueCancelProperty, queueFencingProperty } from './queue-scenario-properties.js';

/** Every queue property. */
export const QUEUE_PROPERTIES: readonly PropertySpec[] = [queueModelProperty, queueBackoffProperty, queueFencingProperty, queueLeaseToleranceProperty, queueBackoffToleranceProperty, queueMaxRuntimeToleranceProperty, queueCancelProperty, queueLimitsProperty, queueIsolationProperty, queueEnvelopeProperty, queueUnclaimedProperty, queueClosedProperty, queueReopenProperty, queueConnectionLossProperty, queueConcurrencyProperty];
