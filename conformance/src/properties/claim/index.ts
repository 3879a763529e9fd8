import type { PropertySpec } from '../../environment/property-spec.js';
import { claimConcurrencyProperty } from './claim-concurrency-property.js';
import { claimConnectionLossProperty } from './claim-connection-loss-property.js';
import { claimReopenProperty } from './claim-reopen-property.js';
import { claimClosedProperty, claimEnvelopeProperty, claimIsolationProperty, claimLimitsProperty } from './claim-misc-properties.js';
import { claimExpiryToleranceProperty, claimModelProperty } from './claim-model-property.js';
import { claimRenewToleranceProperty } from './claim-expiry-tolerance-property.js';

/** Every claim property. */
export const CLAIM_PROPERTIES: readonly PropertySpec[] = [claimModelProperty, claimExpiryToleranceProperty, claimRenewToleranceProperty, claimLimitsProperty, claimIsolationProperty, claimEnvelopeProperty, claimClosedProperty, claimReopenProperty, claimConnectionLossProperty, claimConcurrencyProperty];
