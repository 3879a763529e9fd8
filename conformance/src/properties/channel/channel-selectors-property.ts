import fc from 'fast-check';
import { ChannelModel } from '../../models/channel-model.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { invalidKeyArb } from '../arbitraries.js';
import { claimsPatterns, defineChannel } from './channel-fixture.js';
import { publisher, settle, watch } from './channel-reading.js';

/** Invalid keys, and things that are not strings at all. */
const badKeyArb: fc.Arbitrary<string> = fc.oneof(
  invalidKeyArb,
  fc.constantFrom<unknown>(42, null, {}, ['t']).map((v) => v as string),
);

/**
 * Topics and patterns are checked like keys: invalid ones fail with STATEPROOF_INVALID_KEY, a
 * malformed pattern with STATEPROOF_INVALID_OPTIONS; a topic (or pattern) of exactly 512 UTF-8 bytes
 * is accepted and works.
 */
export const channelSelectorsProperty: PropertySpec = {
  name: 'channel/selectors',
  kind: 'channel',
  requirements: ['CHN-009'],
  weight: 0.3,
  property: (env) =>
    fc.asyncProperty(
      fc.oneof(
        badKeyArb.map((key) => ({ case: 'topic' as const, key })),
        badKeyArb.map((key) => ({ case: 'pattern' as const, key })),
        fc.constantFrom('a\\', '\\', 'ab*\\').map((key) => ({ case: 'malformed' as const, key })),
        fc
          .constantFrom('k'.repeat(512), '😀'.repeat(128), 'é'.repeat(256), `${'x'.repeat(511)}*`)
          .map((key) => ({ case: 'boundary' as const, key })),
      ),
      async (c) => {
        const fixture = await env.fixtures.open((registry) => [
          defineChannel(registry, env.cls, 'conformance.selectors'),
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const patterns = claimsPatterns(fixture.rt);
          if (c.case === 'topic') {
            const got = await outcome(() => h.subscribe({ topic: c.key }));
            expectModel(
              !got.ok && got.code === 'STATEPROOF_INVALID_KEY',
              ['CHN-009'],
              () => `subscribe to topic ${show(c.key).slice(0, 40)} gave ${describeOutcome(got)}`,
            );
            const published = await outcome(() => h.publish(c.key, 'x'));
            expectModel(
              !published.ok && published.code === 'STATEPROOF_INVALID_KEY',
              ['CHN-009'],
              () => `publish to topic ${show(c.key).slice(0, 40)} gave ${describeOutcome(published)}`,
            );
          } else if (c.case === 'pattern' || c.case === 'malformed') {
            const want = c.case === 'pattern' ? 'STATEPROOF_INVALID_KEY' : 'STATEPROOF_INVALID_OPTIONS';
            const got = await outcome(() => h.subscribe({ pattern: c.key }));
            // Without the feature, refusing the pattern as unsupported is as good.
            const ok = !got.ok && (got.code === want || (!patterns && got.code === 'STATEPROOF_UNSUPPORTED'));
            expectModel(
              ok,
              ['CHN-009'],
              () => `subscribe to pattern ${show(c.key).slice(0, 40)} gave ${describeOutcome(got)}, expected ${want}`,
            );
          } else {
            // 512 bytes is within bounds: it must subscribe, publish and arrive.
            const model = new ChannelModel();
            const publish = publisher(model, [h]);
            const topic = c.key.endsWith('*') ? `${c.key.slice(0, -1)}y` : c.key;
            const subs = [
              await watch(model, h, 0, { topic }),
              ...(patterns ? [await watch(model, h, 0, { pattern: c.key })] : []),
            ];
            await publish(0, topic, 'boundary');
            for (const s of subs) await settle(model, s, publish, [0]);
          }
        } finally {
          await fixture.close();
        }
      },
    ),
};
