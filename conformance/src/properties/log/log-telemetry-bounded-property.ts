import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { createRegistry, log } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** A telemetry log without a bound is refused at definition. */
export const logTelemetryBoundedProperty: PropertySpec = {
  name: 'log/telemetry-bounded',
  kind: 'log',
  requirements: ['LOG-019'],
  weight: 0.05,
  property: () =>
    fc.asyncProperty(fc.constantFrom({}, { retention: {} }), async (options) => {
      const got = await outcome(async () =>
        log('conformance.unbounded', {
          durability: 'telemetry',
          value: Type.Unknown(),
          ...options,
          registry: createRegistry(),
        }),
      );
      expectModel(
        !got.ok && got.code === 'STATEPROOF_INVALID_OPTIONS',
        ['LOG-019'],
        () => `an unbounded telemetry log was accepted: ${describeOutcome(got)}`,
      );
    }),
};
