import type { PropertySpec } from '../../environment/property-spec.js';
import { logConnectionLossProperty } from './log-connection-loss-property.js';
import { logReopenProperty } from './log-reopen-property.js';
import { logClosedProperty, logEmitProperty, logEnvelopeProperty, logIsolationProperty, logLimitsProperty, logRetentionUnclaimedProperty, logTelemetryBoundProperty } from './log-misc-properties.js';
import { logCursorProperty } from './log-cursor-property.js';
import { logModelProperty, logRetentionProperty } from './log-model-property.js';
import { logRetentionToleranceProperty } from './log-expiry-tolerance-property.js';
import { logSubscribeProperty } from './log-subscribe-property.js';

/** Every log property. */
export const LOG_PROPERTIES: readonly PropertySpec[] = [
  logModelProperty,
  logRetentionProperty,
  logRetentionToleranceProperty,
  logSubscribeProperty,
  logCursorProperty,
  logLimitsProperty,
  logIsolationProperty,
  logEnvelopeProperty,
  logEmitProperty,
  logTelemetryBoundProperty,
  logRetentionUnclaimedProperty,
  logClosedProperty,
  logReopenProperty,
  logConnectionLossProperty,
];
