import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, dataspace, type DataspaceSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { envelopeCaseArb, expectEnvelopeVerdict, foreignEncoded, scopeOption } from '../common/envelope-case.js';
import { LONG } from './dataspace-surface.js';

/** Values are stored verbatim; a foreign envelope is refused before decoding; an unknown session is STATEPROOF_NOT_FOUND. */
export const dataspaceEnvelopeProperty: PropertySpec = {
  name: 'dataspace/envelope',
  kind: 'dataspace',
  requirements: ['DSP-020', 'DSP-003'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(envelopeCaseArb, fc.string({ maxLength: 20 }), async (c, text) => {
      const fixture = await env.fixtures.open((registry) => [
        dataspace('conformance.envelope', {
          durability: env.cls,
          value: Type.Unknown(),
          ...scopeOption(c),
          registry,
        }) as DataspaceSurface<unknown>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        await (await h.openSession({ owner: 'o', leaseMs: LONG })).assert('good', text);
        const store = await fixture.adapter.openDataspace!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get('good'))?.value;
        expectModel(
          stored?.endsWith('\n' + JSON.stringify(text)) === true,
          ['DSP-020'],
          () => `the adapter returned ${show(stored)} for the value it was given`,
        );
        const raw = await store.openSession('raw', LONG);
        await store.assert(raw.session, 'foreign', foreignEncoded(stored ?? '', c, JSON.stringify(text)));
        const got = await outcome(() => h.get('foreign'));
        expectEnvelopeVerdict(c, got, ['DSP-020'], 'reading a value');
        for (const op of [
          (): Promise<unknown> => store.assert('no-such-session', 'x', stored ?? ''),
          () => store.closeSession('no-such-session'),
          () => store.heartbeat('no-such-session', 10),
        ]) {
          const r = await outcome(op);
          expectModel(
            !r.ok && r.code === 'STATEPROOF_NOT_FOUND',
            ['DSP-003'],
            () => `an operation on an unknown session gave ${describeOutcome(r)}`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
