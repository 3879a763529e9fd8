import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { bindingOf, claim, type ClaimHandle, type ClaimSurface, type Registry } from '@stateproof/core';
import type { DurabilityClass } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { closedProperty } from '../common/closed-property.js';
import { isolationProperty } from '../common/isolation-property.js';
import { limitsProperty } from '../common/limits-property.js';

const defineClaim = (registry: Registry, cls: DurabilityClass, id = 'conformance.claim') => claim(id, { durability: cls, result: Type.Unknown(), registry }) as ClaimSurface<unknown>;

/** Malformed keys and results are refused; the claim stays held and unchanged. */
export const claimLimitsProperty = limitsProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  name: 'complete',
  requirements: { invalidKey: 'CLM-013', notIJson: 'CLM-014', tooLarge: 'CLM-014', schema: 'CLM-014' },
  define: (registry, cls, schema, maxValueBytes) => claim('conformance.limits', { durability: cls, result: schema, maxValueBytes, registry }) as ClaimSurface<unknown>,
  setup: async (rt, s) => void (await rt.use(s).acquire('k', { owner: 'w', leaseMs: 3_600_000 })),
  write: async (rt, s, key, value) => rt.use(s).complete(key, 1, value),
  state: async (rt, s) => rt.use(s).get('k'),
});

/** Claim keys with tricky characters never reach another surface or namespace. */
export const claimIsolationProperty = isolationProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  requirement: 'CLM-016',
  define: (registry, cls, id) => defineClaim(registry, cls, id),
  write: async (rt, s, key) => void (await rt.use(s).acquire(key, { owner: 'w', leaseMs: 3_600_000 })),
  visible: async (rt, s, key) => (await rt.use(s).get(key)) !== null,
});

/** After close, every claim operation fails with STATEPROOF_CLOSED. */
export const claimClosedProperty = closedProperty<ClaimSurface<unknown>>({
  kind: 'claim',
  requirement: 'CLM-017',
  define: (registry, cls) => defineClaim(registry, cls),
  operations: {
    acquire: (h) => (h as ClaimHandle<unknown>).acquire('k', { owner: 'w' }),
    get: (h) => (h as ClaimHandle<unknown>).get('k'),
    complete: (h) => (h as ClaimHandle<unknown>).complete('k', 1, null),
  },
});

/** Results are stored verbatim, and a result whose envelope is foreign is refused before decoding. */
export const claimEnvelopeProperty: PropertySpec = {
  name: 'claim/envelope',
  kind: 'claim',
  requirements: ['CLM-015'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom('app', 'kind', 'surface', 'codec', 'schemaVersion'), fc.string({ maxLength: 20 }), async (field, text) => {
      const fixture = await env.fixtures.open((registry) => [defineClaim(registry, env.cls, 'conformance.envelope')]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const a = await h.acquire('good', { owner: 'w', leaseMs: 3_600_000 });
        await h.complete('good', (a as { token: number }).token, text);
        const store = await fixture.adapter.openClaim!(bindingOf(fixture.surfaces[0], fixture.rt.scope));
        const stored = (await store.get('good'))?.result;
        expectModel(stored?.endsWith('\n' + JSON.stringify(text)) === true, ['CLM-015'], () => `the adapter returned ${show(stored)} for the result it was given`);
        const header = JSON.parse((stored ?? '').split('\n')[0] as string) as Record<string, unknown>;
        const b = await store.acquire('foreign', 'w', 3_600_000);
        await store.complete('foreign', (b as { token: number }).token, `${JSON.stringify({ ...header, [field]: field === 'schemaVersion' ? 99 : `other-${field}` })}\n${JSON.stringify(text)}`);
        const got = await outcome(() => h.get('foreign'));
        expectModel(!got.ok && got.code === 'STATEPROOF_ENVELOPE_MISMATCH', ['CLM-015'], () => `reading a result whose ${field} is foreign gave ${describeOutcome(got)}`);
      } finally {
        await fixture.close();
      }
    }),
};
