import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, record, type RecordSurface } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** An adapter that does not claim TTLs must refuse one with STATEPROOF_UNSUPPORTED rather than ignore it. */
export const recordTtlUnclaimedProperty: PropertySpec = {
  name: 'record/ttl-unclaimed',
  kind: 'record',
  requirements: ['REC-021'],
  unclaimed: ['ttl'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), async (ttlMs) => {
      const fixture = await env.fixtures.open((registry) => [record('conformance.ttl-unclaimed', { durability: env.cls, value: Type.String(), registry }) as RecordSurface<string>]);
      try {
        const store = await fixture.adapter.openRecord!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const got = await outcome(() => store.put('k', 'x', { ttlMs }));
        expectModel(!got.ok && got.code === 'STATEPROOF_UNSUPPORTED', ['REC-021'], () => `put with ttlMs on an adapter that does not claim ttl gave ${describeOutcome(got)}`);
        const via = await outcome(() => fixture.rt.use(fixture.surfaces[0]).put('k', 'x', { ttlMs }));
        expectModel(!via.ok && via.code === 'STATEPROOF_UNSUPPORTED', ['REC-021'], () => `the runtime accepted a TTL the adapter does not claim: ${describeOutcome(via)}`);
      } finally {
        await fixture.close();
      }
    }),
};

/** After close, every operation fails with STATEPROOF_CLOSED, through the runtime and on the adapter itself. */
export const recordClosedProperty: PropertySpec = {
  name: 'record/closed',
  kind: 'record',
  requirements: ['REC-030'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('get', 'put', 'delete'), async (op) => {
      const fixture = await env.fixtures.open((registry) => [record('conformance.closed', { durability: env.cls, value: Type.String(), registry }) as RecordSurface<string>]);
      const h = fixture.rt.use(fixture.surfaces[0]);
      const store = await fixture.adapter.openRecord!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
      await fixture.close();
      const call = (target: { get(k: string): Promise<unknown>; put(k: string, v: string): Promise<unknown>; delete(k: string): Promise<unknown> }) =>
        op === 'get' ? target.get('k') : op === 'put' ? target.put('k', op === 'put' && target === store ? 'raw' : 'x') : target.delete('k');
      const viaRuntime = await outcome(() => call(h));
      expectModel(!viaRuntime.ok && viaRuntime.code === 'STATEPROOF_CLOSED', ['REC-030'], () => `${op} after the runtime closed gave ${describeOutcome(viaRuntime)}`);
      const direct = await outcome(() => call(store));
      expectModel(!direct.ok && direct.code === 'STATEPROOF_CLOSED', ['REC-030'], () => `${op} on the adapter after close gave ${describeOutcome(direct)}`);
    }),
};

/** The record properties about capabilities and lifecycle. */
export const recordCapabilityProperties: readonly PropertySpec[] = [recordTtlUnclaimedProperty, recordClosedProperty];
