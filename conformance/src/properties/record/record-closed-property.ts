import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, record, type RecordSurface } from '@stateproof/core';
import { expectModel } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';

/** After close, every operation fails with STATEPROOF_CLOSED, through the runtime and on the adapter itself. */
export const recordClosedProperty: PropertySpec = {
  name: 'record/closed',
  kind: 'record',
  requirements: ['REC-030'],
  weight: 0.05,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('get', 'put', 'delete'), async (op) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.closed', { durability: env.cls, value: Type.String(), registry }) as RecordSurface<string>,
      ]);
      const h = fixture.rt.use(fixture.surfaces[0]);
      const store = await fixture.adapter.openRecord!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
      await fixture.close();
      const call = (target: {
        get(k: string): Promise<unknown>;
        put(k: string, v: string): Promise<unknown>;
        delete(k: string): Promise<unknown>;
      }) =>
        op === 'get'
          ? target.get('k')
          : op === 'put'
            ? target.put('k', op === 'put' && target === store ? 'raw' : 'x')
            : target.delete('k');
      const viaRuntime = await outcome(() => call(h));
      expectModel(
        !viaRuntime.ok && viaRuntime.code === 'STATEPROOF_CLOSED',
        ['REC-030'],
        () => `${op} after the runtime closed gave ${describeOutcome(viaRuntime)}`,
      );
      const direct = await outcome(() => call(store));
      expectModel(
        !direct.ok && direct.code === 'STATEPROOF_CLOSED',
        ['REC-030'],
        () => `${op} on the adapter after close gave ${describeOutcome(direct)}`,
      );
    }),
};
