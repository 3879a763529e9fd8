import { describe, expect, it } from 'vitest';
import { buildRequirementIndex } from '@stateproof/conformance';

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
