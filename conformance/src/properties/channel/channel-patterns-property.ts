import fc from 'fast-check';
import { ChannelModel } from '../../models/channel-model.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { defineChannel, replicas } from './channel-fixture.js';
import { publisher, settle, watch } from './channel-reading.js';

/** Characters of glob syntax, of regex syntax, a separator and an astral character. */
const ALPHABET = ['a', 'b', '.', ':', '*', '?', '\\', '[', ']', '+', '😀'];
const WILD = ['*', '?'];

/** A well-formed glob over the alphabet: a `\` always escapes something. */
const patternArb = fc
  .array(
    fc.oneof(
      fc.constantFrom(...ALPHABET.filter((c) => c !== '\\')),
      fc.constantFrom(...ALPHABET).map((c) => `\\${c}`),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((parts) => parts.join(''));

/** Turns a pattern into a topic it matches: each `*` becomes a run of `fill`, each `?` one code point, each escape its literal. */
function instantiate(pattern: string, fill: readonly string[]): string {
  const p = Array.from(pattern);
  let out = '';
  let f = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') out += p[++i] ?? '';
    else if (c === '*') out += fill.slice(f, (f += 2)).join('');
    else if (c === '?') out += fill[f++ % Math.max(1, fill.length)] ?? '😀';
    else out += c;
  }
  return out.length > 0 ? out : 'a';
}

/**
 * Pattern subscribers on every replica receive exactly the topics their glob matches: `*` any run,
 * `?` one whole code point (an astral character too), `\` a literal, and every other character
 * (`.`, `[`, `+`) itself. Topics are the patterns taken literally, instances of them, and random
 * strings of the same alphabet.
 */
export const channelPatternsProperty: PropertySpec = {
  name: 'channel/patterns',
  kind: 'channel',
  requirements: ['CHN-005', 'CHN-001'],
  features: ['patterns'],
  property: (env) => {
    const topicArb = fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    const fillArb = fc.array(fc.constantFrom(...ALPHABET.filter((c) => !WILD.includes(c))), { maxLength: 6 });
    return fc.asyncProperty(
      fc.uniqueArray(patternArb, { minLength: 1, maxLength: 4 }),
      fc.array(fillArb, { minLength: 4, maxLength: 4 }),
      fc.array(topicArb, { maxLength: 6 }),
      async (globs, fills, random) => {
        const topics = [...new Set([...globs, ...globs.map((g, i) => instantiate(g, fills[i] ?? [])), ...random])];
        const fixture = await env.fixtures.open((registry) => [
          defineChannel(registry, env.cls, 'conformance.patterns'),
        ]);
        try {
          const clients = await replicas(fixture, 2);
          const model = new ChannelModel();
          const publish = publisher(model, clients);
          const subs = [];
          for (const [i, pattern] of globs.entries())
            subs.push(await watch(model, clients[i % 2]!, i % 2, { pattern }));
          for (const [i, topic] of topics.entries()) await publish(i % 2, topic, topic);
          for (const w of subs) await settle(model, w, publish, [0, 1]);
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
