import fc from 'fast-check';
import type { PropertySpec } from '../../environment/property-spec.js';
import { globMatch } from '../../models/glob-match.js';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import { utf8Compare } from '../../models/utf8-order.js';
import { LONG, defineDataspace } from './dataspace-surface.js';

/**
 * The characters ids and patterns are drawn from: the glob's own metacharacters, those of SQL LIKE
 * (`%`, `_`, `\`) and of SQLite GLOB (`[`), separators, and multi-byte and astral characters, so
 * every translation of a glob into a backend pattern or key range meets them.
 */
const ALPHABET = ['a', 'b', ':', '/', '%', '_', '\\', '*', '?', '[', 'é', '😀'] as const;
const LITERAL = ALPHABET.filter((c) => c !== '\\' && c !== '*' && c !== '?');

const char = fc.constantFrom(...ALPHABET);
const id = fc.array(char, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));

/** One glob token: a literal character, an escape of any character, or a wildcard. */
const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...LITERAL) },
  { weight: 3, arbitrary: char.map((c) => `\\${c}`) },
  { weight: 2, arbitrary: fc.constantFrom('*', '?') },
);
const freePattern = fc.array(token, { maxLength: 6 }).map((ts) => ts.join(''));

/** A pattern made from an id, so that matches are common: each character kept (escaped), or a wildcard. */
function patternFrom(source: string, choices: readonly number[]): string {
  return Array.from(source)
    .map((c, i) => {
      const choice = choices[i % choices.length] ?? 0;
      if (choice === 1) return '?';
      if (choice === 2) return '*';
      return c === '\\' || c === '*' || c === '?' ? `\\${c}` : c;
    })
    .join('');
}

interface Case {
  readonly ids: readonly string[];
  readonly patterns: readonly string[];
  readonly prefixes: readonly string[];
}

const cases: fc.Arbitrary<Case> = fc.uniqueArray(id, { minLength: 1, maxLength: 8 }).chain((ids) =>
  fc.record({
    ids: fc.constant(ids),
    // A pattern made from every id (so each id's characters meet the translation), and free ones.
    patterns: fc
      .tuple(
        fc.tuple(...ids.map(() => fc.array(fc.nat(4), { minLength: 1, maxLength: 5 }))),
        fc.array(freePattern, { maxLength: 3 }),
      )
      .map(([choices, free]) => [...ids.map((source, i) => patternFrom(source, choices[i] ?? [0])), ...free]),
    prefixes: fc.array(
      fc.oneof(
        fc.array(char, { maxLength: 3 }).map((cs) => cs.join('')),
        fc.constantFrom(...ids).map((s) => Array.from(s).slice(0, 2).join('')),
      ),
      { maxLength: 3 },
    ),
  }),
);

/**
 * Glob and prefix filters over generated ids and patterns holding `\`, `%`, `_`, `*`, `?`, `[`,
 * multi-byte and astral characters: `list` returns exactly the ids the reference glob matches (or
 * that start with the literal prefix), in UTF-8 byte order, and a pattern ending in a lone `\` is
 * refused with STATEPROOF_INVALID_OPTIONS.
 */
export const dataspaceFiltersProperty: PropertySpec = {
  name: 'dataspace/filters',
  kind: 'dataspace',
  requirements: ['DSP-013'],
  features: ['glob'],
  weight: 0.5,
  property: (env) =>
    fc.asyncProperty(cases, async ({ ids, patterns, prefixes }) => {
      const fixture = await env.fixtures.open((registry) => [
        defineDataspace(registry, env.cls, 'conformance.filters'),
      ]);
      try {
        const ds = fixture.rt.use(fixture.surfaces[0]);
        const session = await ds.openSession({ owner: 'o', leaseMs: LONG });
        for (const i of ids) await session.assert(i, i);
        const sorted = [...ids].sort(utf8Compare);
        for (const pattern of patterns) {
          const want = sorted.filter((i) => globMatch(pattern, i));
          const got = (await ds.list({ type: 'glob', pattern })).assertions.map((a) => a.id);
          expectModel(
            show(got) === show(want),
            ['DSP-013'],
            () => `glob ${show(pattern)} over ${show(sorted)} listed ${show(got)}, expected ${show(want)}`,
          );
          const lone = `${pattern}\\`;
          const refused = await outcome(() => ds.list({ type: 'glob', pattern: lone }));
          expectModel(
            !refused.ok && refused.code === 'STATEPROOF_INVALID_OPTIONS',
            ['DSP-013'],
            () => `glob ${show(lone)} (a trailing lone backslash) gave ${describeOutcome(refused)}`,
          );
        }
        for (const prefix of prefixes) {
          const want = sorted.filter((i) => i.startsWith(prefix));
          const got = (await ds.list({ type: 'prefix', prefix })).assertions.map((a) => a.id);
          expectModel(
            show(got) === show(want),
            ['DSP-013'],
            () => `prefix ${show(prefix)} over ${show(sorted)} listed ${show(got)}, expected ${show(want)}`,
          );
        }
      } finally {
        await fixture.close();
      }
    }),
};
