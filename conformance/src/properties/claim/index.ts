import type { PropertySpec } from '../../environment/property-spec.js';
import { claimClosedProperty } from './claim-closed-property.js';
import { claimConcurrencyProperty } from './claim-concurrency-property.js';
import { claimConnectionLossProperty } from './claim-connection-loss-property.js';
import { claimEnvelopeProperty } from './claim-envelope-property.js';
import { claimExpiryToleranceProperty } from './claim-expiry-tolerance-property.js';
import { claimIsolationProperty } from './claim-isolation-property.js';
import { claimLeaseAtWriteProperty } from './claim-lease-at-write-property.js';
import { claimLimitsProperty } from './claim-limits-property.js';
import { claimModelProperty } from './claim-model-property.js';
import { claimRenewToleranceProperty } from './claim-renew-tolerance-property.js';
import { claimReopenProperty } from './claim-reopen-property.js';

/** Every claim property, in the order the suite runs them. */
export const CLAIM_PROPERTIES: readonly PropertySpec[] = [
  claimModelProperty,
  claimExpiryToleranceProperty,
  claimRenewToleranceProperty,
  claimLeaseAtWriteProperty,
  claimLimitsProperty,
  claimIsolationProperty,
  claimEnvelopeProperty,
  claimClosedProperty,
  claimReopenProperty,
  claimConnectionLossProperty,
  claimConcurrencyProperty,
];
