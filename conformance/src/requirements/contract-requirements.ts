import { listRequirements, type Requirement } from '@stateproof/spec';
import { GENERATE_COMMAND } from './requirement-ids-module.js';
import { REQUIREMENT_IDS_BY_CLASS, REQUIREMENT_IDS_BY_KIND, type RequirementId } from './requirement-ids.js';

/** A requirement of spec/contract whose id is one the suite can name. */
export interface ContractRequirement extends Requirement {
  readonly id: RequirementId;
}

/** Every requirement id, in contract order. */
export const REQUIREMENT_IDS: readonly RequirementId[] = [
  ...Object.values(REQUIREMENT_IDS_BY_KIND).flat(),
  ...Object.values(REQUIREMENT_IDS_BY_CLASS).flat(),
];

const KNOWN: ReadonlySet<string> = new Set(REQUIREMENT_IDS);

/** Whether `id` is a requirement id of spec/contract (for ids that arrive as plain strings). */
export function isRequirementId(id: string): id is RequirementId {
  return KNOWN.has(id);
}

/**
 * Every requirement of spec/contract, in contract order. The ids are those of the generated
 * requirement-ids.ts; a test keeps that file in step with the contract, so the cast holds.
 */
export function contractRequirements(): readonly ContractRequirement[] {
  return listRequirements() as readonly ContractRequirement[];
}

/** The requirement with id `id`; throws for an id the contract does not have (a stale requirement-ids.ts). */
export function requirementById(id: RequirementId): ContractRequirement {
  const found = contractRequirements().find((r) => r.id === id);
  if (!found) throw new Error(`spec/contract has no requirement ${id}; run ${GENERATE_COMMAND}`);
  return found;
}
