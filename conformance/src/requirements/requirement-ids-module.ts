import { SURFACE_KINDS, type Requirement } from '@stateproof/spec';

/** The command that rewrites the generated requirement files (after `npx tsc -b`). */
export const GENERATE_COMMAND = 'npm run generate';

/**
 * The text of requirement-ids.ts for `requirements`: every id as a literal, grouped by kind, so that
 * a property naming an id the contract does not have fails to compile. One id per line, single
 * quotes and trailing commas, as a formatter at 120 columns would print it, so formatting the file
 * changes nothing.
 */
export function requirementIdsModule(requirements: readonly Pick<Requirement, 'id' | 'kind'>[]): string {
  const groups = SURFACE_KINDS.flatMap((kind) => {
    const ids = requirements.filter((r) => r.kind === kind).map((r) => `    '${r.id}',`);
    return ids.length === 0 ? [`  ${kind}: [],`] : [`  ${kind}: [`, ...ids, '  ],'];
  });
  return [
    `// Generated from spec/contract/*.md by \`${GENERATE_COMMAND}\`; do not edit.`,
    "import type { SurfaceKind } from '@stateproof/spec';",
    '',
    '/** Every requirement id of spec/contract, by kind, in contract order. */',
    'export const REQUIREMENT_IDS_BY_KIND = {',
    ...groups,
    '} as const satisfies Record<SurfaceKind, readonly string[]>;',
    '',
    '/** A requirement id of spec/contract of kind `K`. */',
    'export type RequirementIdOf<K extends SurfaceKind> = (typeof REQUIREMENT_IDS_BY_KIND)[K][number];',
    '',
    '/** A requirement id of spec/contract (`REC-001`, …): what properties, models and checks name. */',
    'export type RequirementId = RequirementIdOf<SurfaceKind>;',
    '',
  ].join('\n');
}
