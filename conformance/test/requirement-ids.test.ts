import { describe, expect, it } from 'vitest';
import { listRequirements, SURFACE_KINDS } from '@stateproof/spec';
import {
  GENERATE_COMMAND,
  isRequirementId,
  REQUIREMENT_IDS,
  REQUIREMENT_IDS_BY_CLASS,
  REQUIREMENT_IDS_BY_KIND,
  requirementById,
  type RequirementId,
} from '@stateproof/conformance';

describe('the generated requirement id type', () => {
  it('lists exactly the requirement ids of spec/contract, by kind and by class, in contract order', () => {
    const ids = (kind: string) =>
      listRequirements()
        .filter((r) => r.kind === kind && r.cls === undefined)
        .map((r) => r.id);
    const fromContract = Object.fromEntries(SURFACE_KINDS.map((kind) => [kind, ids(kind)]));
    const stale = `conformance/src/requirements/requirement-ids.ts is stale; run: npx tsc -b && ${GENERATE_COMMAND}`;
    expect(REQUIREMENT_IDS_BY_KIND, stale).toEqual(fromContract);
    const byClass: Record<string, string[]> = {};
    for (const r of listRequirements()) if (r.cls !== undefined) (byClass[r.cls] ??= []).push(r.id);
    expect(REQUIREMENT_IDS_BY_CLASS, stale).toEqual(byClass);
    expect(Object.keys(byClass)).toEqual(['derived-projection', 'telemetry']);
  });

  it('looks ids up and tells them from other strings', () => {
    expect(REQUIREMENT_IDS).toEqual(listRequirements().map((r) => r.id));
    expect(isRequirementId('QUE-005')).toBe(true);
    expect(isRequirementId('QUE-999')).toBe(false);
    expect(requirementById('QUE-005').kind).toBe('queue');
    expect(requirementById('PRJ-003')).toMatchObject({ cls: 'derived-projection', kinds: ['record', 'log'] });
  });

  it('refuses an id the contract does not have at compile time', () => {
    // @ts-expect-error QUE-999 is not a requirement of spec/contract/queue.md
    const wrong: RequirementId = 'QUE-999';
    expect(isRequirementId(wrong)).toBe(false);
  });
});
