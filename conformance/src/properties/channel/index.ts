import type { PropertySpec } from '../../environment/property-spec.js';
import { channelCloseProperty } from './channel-close-property.js';
import { channelConnectionLossProperty } from './channel-connection-loss-property.js';
import { channelIsolationProperty } from './channel-isolation-property.js';
import { channelLagProperty } from './channel-lag-property.js';
import {
  channelClosedProperty,
  channelClosedSubscriptionsProperty,
  channelEnvelopeProperty,
  channelEphemeralProperty,
  channelLimitsProperty,
  channelPatternsUnclaimedProperty,
  channelSelectorsProperty,
} from './channel-misc-properties.js';
import { channelModelProperty } from './channel-model-property.js';
import { channelPatternProperty } from './channel-pattern-property.js';
import { channelWindowProperty } from './channel-window-property.js';

/** Every channel property. */
export const CHANNEL_PROPERTIES: readonly PropertySpec[] = [
  channelModelProperty,
  channelPatternProperty,
  channelWindowProperty,
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
