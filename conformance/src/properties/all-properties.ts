import type { PropertySpec } from '../environment/property-spec.js';
import { CHANNEL_PROPERTIES } from './channel/index.js';
import { CLAIM_PROPERTIES } from './claim/index.js';
import { DATASPACE_PROPERTIES } from './dataspace/index.js';
import { LOG_PROPERTIES } from './log/index.js';
import { PROJECTION_PROPERTIES } from './projection/index.js';
import { QUEUE_PROPERTIES } from './queue/index.js';
import { RECORD_PROPERTIES } from './record/index.js';
import { TELEMETRY_PROPERTIES } from './telemetry/index.js';

/** The whole suite. */
export const ALL_PROPERTIES: readonly PropertySpec[] = [
  ...RECORD_PROPERTIES,
  ...LOG_PROPERTIES,
  ...CLAIM_PROPERTIES,
  ...QUEUE_PROPERTIES,
  ...DATASPACE_PROPERTIES,
  ...CHANNEL_PROPERTIES,
  ...PROJECTION_PROPERTIES,
  ...TELEMETRY_PROPERTIES,
];
