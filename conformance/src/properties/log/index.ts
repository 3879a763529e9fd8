import type { PropertySpec } from '../../environment/property-spec.js';
import { logClosedProperty } from './log-closed-property.js';
import { logConcurrencyProperty } from './log-concurrency-property.js';
import { logConnectionLossProperty } from './log-connection-loss-property.js';
import { logCrossInstanceTailProperty } from './log-cross-instance-tail-property.js';
import { logCursorsProperty } from './log-cursors-property.js';
import { logEmitProperty } from './log-emit-property.js';
import { logEnvelopeProperty } from './log-envelope-property.js';
import { logIsolationProperty } from './log-isolation-property.js';
import { logLimitsProperty } from './log-limits-property.js';
import { logModelProperty } from './log-model-property.js';
import { logReopenProperty } from './log-reopen-property.js';
import { logRetentionProperty } from './log-retention-property.js';
import { logRetentionToleranceProperty } from './log-retention-tolerance-property.js';
import { logRetentionUnclaimedProperty } from './log-retention-unclaimed-property.js';
import { logSubscribeProperty } from './log-subscribe-property.js';
import { logTelemetryBoundedProperty } from './log-telemetry-bounded-property.js';

/** Every log property, in the order the suite runs them. */
export const LOG_PROPERTIES: readonly PropertySpec[] = [
  logModelProperty,
  logConcurrencyProperty,
  logRetentionProperty,
  logRetentionToleranceProperty,
  logSubscribeProperty,
  logCrossInstanceTailProperty,
  logCursorsProperty,
  logLimitsProperty,
  logIsolationProperty,
  logEnvelopeProperty,
  logEmitProperty,
  logTelemetryBoundedProperty,
  logRetentionUnclaimedProperty,
  logClosedProperty,
  logReopenProperty,
  logConnectionLossProperty,
];
