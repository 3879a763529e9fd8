import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listRequirements } from '@stateproof/spec';
import { ALL_PROPERTIES, buildRequirementIndex, GENERATE_COMMAND } from '@stateproof/conformance';
import { KITS } from 'stateproof';

// The index names the mutants of every kit, so it is checked here, where the kits are known
// (tools/ci/generate-requirement-files.mjs writes it from the same lists).
describe('the committed requirement index (conformance/requirement-index.json)', () => {
  it('is what the suite and its mutants give today', () => {
    const built = buildRequirementIndex({
      requirements: listRequirements(),
      properties: ALL_PROPERTIES,
      mutants: KITS.flatMap((k) => k.mutants),
      generatedBy: GENERATE_COMMAND,
    });
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../conformance/requirement-index.json', import.meta.url), 'utf8'),
    );
    // Compared as data, so that reformatting the file is not staleness.
    const stale = `conformance/requirement-index.json is stale; run: npx tsc -b && ${GENERATE_COMMAND}`;
    expect(committed, stale).toEqual(built);
  });
});
