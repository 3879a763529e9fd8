import type { PropertySpec } from '../../environment/property-spec.js';
import { dataspaceClosedProperty } from './dataspace-closed-property.js';
import { dataspaceConcurrencyProperty } from './dataspace-concurrency-property.js';
import { dataspaceConnectionLossProperty } from './dataspace-connection-loss-property.js';
import { dataspaceCrossInstanceSubscribeProperty } from './dataspace-cross-instance-subscribe-property.js';
import { dataspaceDeadOwnerProperty } from './dataspace-dead-owner-property.js';
import { dataspaceEnvelopeProperty } from './dataspace-envelope-property.js';
import { dataspaceFiltersProperty } from './dataspace-filters-property.js';
import { dataspaceExpiryToleranceProperty } from './dataspace-expiry-tolerance-property.js';
import { dataspaceGlobUnclaimedProperty } from './dataspace-glob-unclaimed-property.js';
import { dataspaceIsolationProperty } from './dataspace-isolation-property.js';
import { dataspaceLimitsProperty } from './dataspace-limits-property.js';
import { dataspaceModelProperty } from './dataspace-model-property.js';
import { dataspaceReopenProperty } from './dataspace-reopen-property.js';
import { dataspaceRetentionProperty } from './dataspace-retention-property.js';
import { dataspaceSubscribeProperty } from './dataspace-subscribe-property.js';

/** Every dataspace property, in the order the suite runs them. */
export const DATASPACE_PROPERTIES: readonly PropertySpec[] = [
  dataspaceModelProperty,
  dataspaceExpiryToleranceProperty,
  dataspaceSubscribeProperty,
  dataspaceCrossInstanceSubscribeProperty,
  dataspaceDeadOwnerProperty,
  dataspaceLimitsProperty,
  dataspaceIsolationProperty,
  dataspaceEnvelopeProperty,
  dataspaceGlobUnclaimedProperty,
  dataspaceFiltersProperty,
  dataspaceConcurrencyProperty,
  dataspaceClosedProperty,
  dataspaceReopenProperty,
  dataspaceRetentionProperty,
  dataspaceConnectionLossProperty,
];
