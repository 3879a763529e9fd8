import { SURFACE_KINDS, type Requirement } from '@stateproof/spec';

/** The command that rewrites the generated requirement files (after `npx tsc -b`). */
export const GENERATE_COMMAND = 'npm run generate';

/**
 * The text of requirement-ids.ts for `requirements`: every id as a literal, grouped by kind, so that
 * a property naming an id the contract does not have fails to compile. Printed as a formatter at 120
 * columns would print it (a group on one line when it fits, else one id per line, single quotes and
 * trailing commas), so formatting the file changes nothing.
 */
export function requirementIdsModule(requirements: readonly Pick<Requirement, 'id' | 'kind' | 'cls'>[]): string {
  // Each group carries a doc comment naming the contract file its ids come from (the API reference
  // requires one on every member).
  const group = (key: string, ids: readonly string[], file: string) => {
    const name = /^[a-z]+$/.test(key) ? key : `'${key}'`;
    const doc = `  /** The ${key} requirements of spec/contract/${file}. */`;
    const line = `  ${name}: [${ids.map((id) => `'${id}'`).join(', ')}],`;
    // A formatter keeps a group on one line when it fits, and breaks it one id per line when not.
    return line.length <= 120 ? [doc, line] : [doc, `  ${name}: [`, ...ids.map((id) => `    '${id}',`), '  ],'];
  };
  const groups = SURFACE_KINDS.flatMap((kind) =>
    group(
      kind,
      requirements.filter((r) => r.kind === kind && r.cls === undefined).map((r) => r.id),
      `${kind}.md`,
    ),
  );
  const classes = [...new Set(requirements.flatMap((r) => (r.cls === undefined ? [] : [r.cls])))];
  const classGroups = classes.flatMap((cls) =>
    group(
      cls,
      requirements.filter((r) => r.cls === cls).map((r) => r.id),
      'classes.md',
    ),
  );
  return [
    `// Generated from spec/contract/*.md by \`${GENERATE_COMMAND}\`; do not edit.`,
    "import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';",
    '',
    '/** Every requirement id of a kind of spec/contract, by kind, in contract order. */',
    'export const REQUIREMENT_IDS_BY_KIND = {',
    ...groups,
    '} as const satisfies Record<SurfaceKind, readonly string[]>;',
    '',
    '/** Every requirement id of a class of spec/contract/classes.md (PRJ-, TEL-), by class, in contract order. */',
    'export const REQUIREMENT_IDS_BY_CLASS = {',
    ...classGroups,
    '} as const satisfies Partial<Record<DurabilityClass, readonly string[]>>;',
    '',
    '/** A requirement id of spec/contract of kind `K`. */',
    'export type RequirementIdOf<K extends SurfaceKind> = (typeof REQUIREMENT_IDS_BY_KIND)[K][number];',
    '',
    '/** A requirement id of spec/contract/classes.md. */',
    'export type ClassRequirementId = (typeof REQUIREMENT_IDS_BY_CLASS)[keyof typeof REQUIREMENT_IDS_BY_CLASS][number];',
    '',
    '/** A requirement id of spec/contract (`REC-001`, `PRJ-001`, …): what properties, models and checks name. */',
    'export type RequirementId = RequirementIdOf<SurfaceKind> | ClassRequirementId;',
    '',
  ].join('\n');
}
