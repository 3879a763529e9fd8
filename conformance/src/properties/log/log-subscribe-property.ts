import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { log, type LogItemEvent, type LogSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { SubscriptionReader } from '../common/subscription-reader.js';

/** What a subscriber from `after` must see, given the entries appended and the entries trimmed before it read them. */
function describeEvents(events: readonly LogItemEvent<number>[]): string {
  return show(events.map((e) => (e.type === 'entry' ? e.entry.seq : `resync ${e.fromSeq}-${e.toSeq}`)));
}

/**
 * A subscriber started from a sequence receives every later entry, including those a peer appends
 * while it waits, in order, once each; entries trimmed before it read them come as one resync event.
 */
export const logSubscribeProperty: PropertySpec = {
  name: 'log/subscribe',
  kind: 'log',
  requirements: ['LOG-016', 'LOG-017', 'LOG-018'],
  features: ['subscribe'],
  property: (env) => {
    const retained = env.capabilities.kinds.log?.features.retention === true;
    return fc.asyncProperty(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 8 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
      retained ? fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }) : fc.constant(undefined),
      async (before, after, batches, maxEntries) => {
        const fixture = await env.fixtures.open((registry) => [
          log('conformance.tail', {
            durability: env.cls,
            value: Type.Integer(),
            ...(maxEntries ? { retention: { maxEntries } } : {}),
            registry,
          }) as LogSurface<number>,
        ]);
        try {
          const h = fixture.rt.use(fixture.surfaces[0]);
          const peer = (await fixture.peer()).use(fixture.surfaces[0]);
          for (let i = 0; i < before; i++) await h.append('s', i);
          const from = Math.min(after, before);
          const sub = await h.subscribe('s', { after: from });
          let total = before;
          for (const n of batches) {
            for (let i = 0; i < n; i++) await peer.append('s', total++);
          }
          // Every sequence after `from` must come exactly once, in order: as an entry, or (only if it was
          // trimmed) inside a resync range. Push-based adapters may deliver entries that are trimmed later.
          const oldest = maxEntries === undefined ? 1 : Math.max(1, total - maxEntries + 1);
          const events: LogItemEvent<number>[] = [];
          let next = from + 1;
          const reader = new SubscriptionReader(sub);
          while (next <= total) {
            const e = await reader.read(2000);
            expectModel(
              e !== 'timeout' && e !== 'done',
              ['LOG-016'],
              () =>
                `subscriber from ${from} stopped after ${describeEvents(events)}; entries up to ${total} were appended`,
            );
            events.push(e);
            if (e.type === 'entry') {
              expectModel(
                e.entry.seq === next,
                ['LOG-016'],
                () =>
                  `subscriber from ${from} saw ${describeEvents(events)}: expected ${next} next (no gap, no duplicate)`,
              );
              expectModel(
                e.entry.value === e.entry.seq - 1,
                ['LOG-016'],
                () => `entry ${e.entry.seq} carries ${e.entry.value}`,
              );
              next++;
            } else {
              expectModel(
                e.fromSeq === next && e.toSeq >= e.fromSeq && e.toSeq < oldest,
                ['LOG-017'],
                () =>
                  `subscriber from ${from} saw ${describeEvents(events)}: a resync must start at ${next} and cover only trimmed entries (oldest retained ${oldest})`,
              );
              next = e.toSeq + 1;
            }
          }
          expectModel(
            await reader.closeEndsPending(),
            ['LOG-018'],
            () => 'a read pending when the subscription closed did not end',
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
