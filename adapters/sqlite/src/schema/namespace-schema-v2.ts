import type { NamespaceTables } from './namespace-tables.js';

/**
 * Version 2 of a namespace's tables: the committed cursor of each derived projection
 * (spec/contract/classes.md, PRJ-003), one row per surface space. It lives in the namespace's own
 * tables so that a projection commit writes the projection and its cursor in one transaction.
 */
export function namespaceSchemaV2(t: NamespaceTables): string {
  return `
CREATE TABLE ${t.projections} (
  space TEXT NOT NULL PRIMARY KEY,
  cursor INTEGER NOT NULL
) WITHOUT ROWID;
`;
}
