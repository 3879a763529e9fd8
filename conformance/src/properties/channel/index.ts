import type { PropertySpec } from '../../environment/property-spec.js';
import { channelCloseProperty } from './channel-close-property.js';
import { channelClosedProperty } from './channel-closed-property.js';
import { channelClosedSubscriptionsProperty } from './channel-closed-subscriptions-property.js';
import { channelConnectionLossProperty } from './channel-connection-loss-property.js';
import { channelCrossInstanceDeliveryProperty } from './channel-cross-instance-delivery-property.js';
import { channelEnvelopeProperty } from './channel-envelope-property.js';
import { channelEphemeralProperty } from './channel-ephemeral-property.js';
import { channelIsolationProperty } from './channel-isolation-property.js';
import { channelLagProperty } from './channel-lag-property.js';
import { channelLimitsProperty } from './channel-limits-property.js';
import { channelLiveWindowProperty } from './channel-live-window-property.js';
import { channelModelProperty } from './channel-model-property.js';
import { channelPatternsProperty } from './channel-patterns-property.js';
import { channelPatternsUnclaimedProperty } from './channel-patterns-unclaimed-property.js';
import { channelSelectorsProperty } from './channel-selectors-property.js';

/** Every channel property, in the order the suite runs them. */
export const CHANNEL_PROPERTIES: readonly PropertySpec[] = [
  channelModelProperty,
  channelCrossInstanceDeliveryProperty,
  channelPatternsProperty,
  channelLiveWindowProperty,
  channelLagProperty,
  channelCloseProperty,
  channelLimitsProperty,
  channelSelectorsProperty,
  channelIsolationProperty,
  channelEnvelopeProperty,
  channelEphemeralProperty,
  channelPatternsUnclaimedProperty,
  channelClosedProperty,
  channelClosedSubscriptionsProperty,
  channelConnectionLossProperty,
];
