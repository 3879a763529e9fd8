import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listRequirements } from '@stateproof/spec';
import { ALL_MUTANTS, ALL_PROPERTIES, buildRequirementIndex, GENERATE_COMMAND } from '@stateproof/conformance';
// The engine adapters' mutants, where the generator reads them too (scripts/generate-requirement-files.mjs).
import { POSTGRES_MUTANTS } from '../../packages/cli/src/mutants/postgres-mutants.js';
import { SQLITE_MUTANTS } from '../../packages/cli/src/mutants/sqlite-mutants.js';

const requirements = [
  { id: 'QUE-005', kind: 'queue', title: 'Claim order' },
  { id: 'QUE-006', kind: 'queue', title: 'Exclusive claims' },
] as const;

describe('buildRequirementIndex', () => {
  it('lists per requirement, in contract order, the properties that check it and the mutants that break it', () => {
    const index = buildRequirementIndex({
      requirements,
      properties: [
        { name: 'queue/model', requirements: ['QUE-006', 'QUE-005'] },
        { name: 'queue/concurrency', requirements: ['QUE-006'] },
      ],
      mutants: [{ name: 'queue-double-claim', kind: 'queue', breaks: ['QUE-006'] }],
      generatedBy: 'make it',
    });
    expect(index).toEqual({
      generatedBy: 'make it',
      requirements: [
        { id: 'QUE-005', kind: 'queue', title: 'Claim order', properties: ['queue/model'], mutants: [] },
        {
          id: 'QUE-006',
          kind: 'queue',
          title: 'Exclusive claims',
          properties: ['queue/model', 'queue/concurrency'],
          mutants: ['queue-double-claim'],
        },
      ],
    });
  });

  it('refuses ids the contract does not have', () => {
    const build = (breaks: string[]) =>
      buildRequirementIndex({
        requirements,
        properties: [],
        mutants: [{ name: 'm', kind: 'queue', breaks }],
        generatedBy: '',
      });
    expect(() => build(['QUE-999'])).toThrow('mutant m breaks QUE-999');
    expect(() => build(['QUE-005'])).not.toThrow();
  });
});

describe('the committed requirement index (conformance/requirement-index.json)', () => {
  it('is what the suite and its mutants give today', () => {
    const built = buildRequirementIndex({
      requirements: listRequirements(),
      properties: ALL_PROPERTIES,
      mutants: [...ALL_MUTANTS, ...SQLITE_MUTANTS, ...POSTGRES_MUTANTS],
      generatedBy: GENERATE_COMMAND,
    });
    const committed: unknown = JSON.parse(readFileSync(new URL('../requirement-index.json', import.meta.url), 'utf8'));
    // Compared as data, so that reformatting the file is not staleness.
    const stale = `conformance/requirement-index.json is stale; run: npx tsc -b && ${GENERATE_COMMAND}`;
    expect(committed, stale).toEqual(built);
  });
});
