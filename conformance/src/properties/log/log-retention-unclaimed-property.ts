import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { createRegistry, log, openRuntime } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** A surface with retention does not bind to an adapter that does not claim retention. */
export const logRetentionUnclaimedProperty: PropertySpec = {
  name: 'log/retention-unclaimed',
  kind: 'log',
  requirements: ['LOG-011'],
  unclaimed: ['retention'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (maxEntries) => {
      const adapter = await env.target.create({
        namespace: env.fixtures.namespace(),
        clock: { now: () => Date.now() },
      });
      const registry = createRegistry();
      log('conformance.retained', { durability: env.cls, value: Type.Unknown(), retention: { maxEntries }, registry });
      const got = await outcome(() =>
        openRuntime({ adapter, app: 'c', deployment: 'c', registry, mode: 'enforce', maintenanceIntervalMs: false }),
      );
      if (got.ok) await got.value.close();
      else await adapter.close();
      expectModel(
        !got.ok && got.code === 'STATEPROOF_UNSUPPORTED',
        ['LOG-011'],
        () => `binding a retained log to an adapter without retention gave ${describeOutcome(got)}`,
      );
    }),
};
