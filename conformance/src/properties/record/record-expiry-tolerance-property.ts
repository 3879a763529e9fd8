import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ExpiryWindow } from '../common/expiry-window.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/**
 * With a server clock: a record written with a TTL (its own, or the surface's default) reports an
 * expiry of the write's instant plus the TTL, is visible before it and invisible to every operation
 * after it, both edges within the adapter's declared tolerance; a record without a TTL never expires.
 */
export const recordExpiryToleranceProperty: PropertySpec = {
  name: 'record/expiry-tolerance',
  kind: 'record',
  requirements: ['REC-018', 'REC-019', 'REC-020'],
  features: ['ttl', 'list'],
  applies: (env) =>
    env.exactTime
      ? 'the adapter takes an injectable clock; record/model and record/default-ttl check expiry exactly'
      : true,
  weight: 0.1,
  property: (env) =>
    fc.asyncProperty(fc.constantFrom(60, 120), fc.boolean(), async (ttlMs, byDefault) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.record-expiry', {
          durability: env.cls,
          value: Type.Integer(),
          ...(byDefault ? { ttlMs } : {}),
          registry,
        }) as RecordSurface<number>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const reqs: RequirementId[] = byDefault ? ['REC-020'] : ['REC-019'];
        const { value: written, window } = await ExpiryWindow.around(fixture.time, ttlMs, () =>
          h.put('k', 1, byDefault ? {} : { ttlMs }),
        );
        expectModel(
          window.admits(written.expiresAt),
          reqs,
          () =>
            `a put with a ${ttlMs} ms TTL reports expiry ${written.expiresAt}, outside ${window.earliest}..${window.latest} (tolerance ${fixture.time.slackMs} ms)`,
        );
        if (!byDefault) {
          const forever = await h.put('forever', 2);
          expectModel(
            forever.expiresAt === null,
            ['REC-019'],
            () => `a put without a TTL on a surface without a default expires at ${forever.expiresAt}`,
          );
        }
        const early = await window.early(async () => ({
          got: await h.get('k'),
          listed: (await h.list({ prefix: 'k' })).items.map((i) => i.key),
          again: await outcome(() => h.put('k', 3, { ifAbsent: true })),
        }));
        if (early.before) {
          expectModel(
            early.value.got?.value === 1 && show(early.value.listed) === show(['k']),
            ['REC-018', ...reqs],
            () => `before its expiry the record reads ${show(early.value.got)} and lists ${show(early.value.listed)}`,
          );
          expectModel(
            !early.value.again.ok && early.value.again.code === 'STATEPROOF_VERSION_CONFLICT',
            ['REC-018'],
            () => `ifAbsent on a live record gave ${describeOutcome(early.value.again)}`,
          );
        }
        await window.pass();
        const got = await h.get('k');
        expectModel(
          got === null,
          ['REC-018', ...reqs],
          () => `after its expiry (plus the tolerance) the record reads ${show(got)}`,
        );
        const listed = (await h.list({ prefix: '' })).items.map((i) => i.key);
        expectModel(
          !listed.includes('k'),
          ['REC-018'],
          () => `after its expiry the record is still listed: ${show(listed)}`,
        );
        const gone = await outcome(() => h.delete('k'));
        expectModel(
          gone.ok && gone.value === false,
          ['REC-018'],
          () => `delete of an expired record gave ${describeOutcome(gone)}`,
        );
        const cas = await outcome(() => h.put('k', 4, { ifVersion: written.version }));
        expectModel(
          !cas.ok && cas.code === 'STATEPROOF_VERSION_CONFLICT',
          ['REC-018'],
          () => `ifVersion against an expired record gave ${describeOutcome(cas)}`,
        );
        const absent = await outcome(() => h.put('k', 5, { ifAbsent: true }));
        expectModel(
          absent.ok && absent.value.version > written.version,
          ['REC-018'],
          () => `ifAbsent over an expired record gave ${describeOutcome(absent)}`,
        );
        if (!byDefault)
          expectModel((await h.get('forever'))?.value === 2, ['REC-019'], () => 'a record without a TTL expired');
      } finally {
        await fixture.close();
      }
    }),
};
