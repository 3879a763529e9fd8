import { fingerprintOf, semanticSurface, type SurfaceDefinitionDocument } from '@stateproof/spec';

/** How two inventories differ, by surface id (semantic changes only). */
export interface ManifestDiff {
  /** Ids only in the actual surfaces. */
  readonly added: string[];
  /** Ids only in the expected surfaces. */
  readonly removed: string[];
  /** Ids in both whose semantic part differs. */
  readonly changed: string[];
}

/** Compares the semantic parts of two surface lists: ids only in `actual`, only in `expected`, or in both but different. */
export function diffSurfaces(
  expected: readonly SurfaceDefinitionDocument[],
  actual: readonly SurfaceDefinitionDocument[],
): ManifestDiff {
  const before = new Map(expected.map((s) => [s.id, fingerprintOf(semanticSurface(s))]));
  const after = new Map(actual.map((s) => [s.id, fingerprintOf(semanticSurface(s))]));
  const sort = (xs: string[]) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    added: sort([...after.keys()].filter((id) => !before.has(id))),
    removed: sort([...before.keys()].filter((id) => !after.has(id))),
    changed: sort([...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id))),
  };
}

/** True when the diff is empty. */
export function isEmptyDiff(diff: ManifestDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
