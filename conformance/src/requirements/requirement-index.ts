import type { Requirement } from '@stateproof/spec';

/** What the index needs of a property: its name and the requirement ids it checks. */
export interface IndexedProperty {
  /** The property's name. */
  readonly name: string;
  /** The requirement ids it checks. */
  readonly requirements: readonly string[];
}

/** What the index needs of a mutant: its name, the kind its bug lives in, and the ids it breaks. */
export interface IndexedMutant {
  /** The mutant's name. */
  readonly name: string;
  /** The kind its bug lives in. */
  readonly kind: string;
  /** The requirement ids it breaks. */
  readonly breaks: readonly string[];
}

/** One requirement with what covers it: the properties that check it and the mutants that break it. */
export interface RequirementIndexEntry {
  /** The requirement id. */
  readonly id: string;
  /** The kind it is about. */
  readonly kind: string;
  /** Its title in the contract. */
  readonly title: string;
  /** Names of the properties that check it, in suite order. */
  readonly properties: readonly string[];
  /** Names of the mutants that break it, in the order given. */
  readonly mutants: readonly string[];
}

/** For each requirement of the contract, the properties that check it and the mutants that break it. */
export interface RequirementIndex {
  /** How to regenerate the committed copy. */
  readonly generatedBy: string;
  /** One entry per requirement, in contract order. */
  readonly requirements: readonly RequirementIndexEntry[];
}

/**
 * Builds the requirement -> properties -> mutants index. Pure: the caller passes the contract, the
 * properties and the mutants, wherever they live. Throws when a property or mutant names an id the
 * contract does not have, so the index never hides a dangling reference.
 */
export function buildRequirementIndex(input: {
  readonly requirements: readonly Pick<Requirement, 'id' | 'kind' | 'title'>[];
  readonly properties: readonly IndexedProperty[];
  readonly mutants: readonly IndexedMutant[];
  readonly generatedBy: string;
}): RequirementIndex {
  const known = new Set(input.requirements.map((r) => r.id));
  const unknown = (ids: readonly string[]) => ids.filter((id) => !known.has(id));
  const dangling = [
    ...input.properties.flatMap((p) => unknown(p.requirements).map((id) => `property ${p.name} names ${id}`)),
    ...input.mutants.flatMap((m) => unknown(m.breaks).map((id) => `mutant ${m.name} breaks ${id}`)),
  ];
  if (dangling.length > 0) throw new Error(`ids that spec/contract does not have: ${dangling.join('; ')}`);
  const unique = (names: string[]) => [...new Set(names)];
  return {
    generatedBy: input.generatedBy,
    requirements: input.requirements.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      properties: unique(input.properties.filter((p) => p.requirements.includes(r.id)).map((p) => p.name)),
      mutants: unique(input.mutants.filter((m) => m.breaks.includes(r.id)).map((m) => m.name)),
    })),
  };
}

/** The committed form of the index: JSON with two-space indents and a final newline. */
export function requirementIndexJson(index: RequirementIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}
