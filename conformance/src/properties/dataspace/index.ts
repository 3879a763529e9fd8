import type { PropertySpec } from '../../environment/property-spec.js';
import { dataspaceConnectionLossProperty } from './dataspace-connection-loss-property.js';
import { dataspaceReopenProperty } from './dataspace-reopen-property.js';
import { dataspaceClosedProperty, dataspaceCrossProcessProperty, dataspaceEnvelopeProperty, dataspaceGlobUnclaimedProperty, dataspaceIsolationProperty, dataspaceLimitsProperty } from './dataspace-misc-properties.js';
import { dataspaceModelProperty } from './dataspace-model-property.js';
import { dataspaceExpiryToleranceProperty } from './dataspace-expiry-tolerance-property.js';
import { dataspaceSubscribeProperty } from './dataspace-subscribe-property.js';

/** Every dataspace property. */
export const DATASPACE_PROPERTIES: readonly PropertySpec[] = [
  dataspaceModelProperty,
  dataspaceExpiryToleranceProperty,
  dataspaceSubscribeProperty,
  dataspaceCrossProcessProperty,
  dataspaceLimitsProperty,
  dataspaceIsolationProperty,
  dataspaceEnvelopeProperty,
  dataspaceGlobUnclaimedProperty,
  dataspaceClosedProperty,
  dataspaceReopenProperty,
  dataspaceConnectionLossProperty,
];
