/**
 * Breaking-change levels, strictest first, as buf's categories: each level checks everything the
 * more lenient ones check, and more.
 * - `identity`: durable surfaces removed or renamed, kinds changed, classes downgraded.
 * - `data` (default): also scope changes and value schemas that no longer accept stored values
 *   (unless schemaVersion was raised, which declares the migration), and schemaVersion lowered.
 * - `strict`: also value schemas whose new values older replicas cannot read (rolling deploys),
 *   and incompatible schema changes even with a raised schemaVersion.
 */
export const BREAKING_LEVELS = ['strict', 'data', 'identity'] as const;

/** A breaking-change level. */
export type BreakingLevel = (typeof BREAKING_LEVELS)[number];

/** The level used when none is given. */
export const DEFAULT_BREAKING_LEVEL: BreakingLevel = 'data';

/** True when `level` checks at least what `required` checks. */
export function levelIncludes(level: BreakingLevel, required: BreakingLevel): boolean {
  return BREAKING_LEVELS.indexOf(level) <= BREAKING_LEVELS.indexOf(required);
}

/** True when `value` names a level. */
export function isBreakingLevel(value: unknown): value is BreakingLevel {
  return typeof value === 'string' && (BREAKING_LEVELS as readonly string[]).includes(value);
}
