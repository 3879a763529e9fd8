import type { AdapterCapabilities } from '@stateproof/core';
import {
  classAllowsKind,
  DURABILITY_CLASSES,
  SURFACE_KINDS,
  type DurabilityClass,
  type SurfaceKind,
} from '@stateproof/spec';
import type { PropertySpec } from '../environment/property-spec.js';
import { SelectionError } from './selection-error.js';

/** Edit distance of two short names (for a did-you-mean). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The valid name closest to `given`, when it is close enough to be a typo. */
export function closestName(given: string, valid: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of valid) {
    const d = distance(given, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(given.length / 3)) ? best.name : undefined;
}

/** Throws a {@link SelectionError} for the first name of `given` that is not in `valid`. */
function checkNames(option: 'kinds' | 'classes', given: readonly string[], valid: readonly string[], what: string) {
  const bad = given.find((g) => !valid.includes(g));
  if (bad !== undefined) throw new SelectionError(`unknown ${what} "${bad}"`, option, valid, closestName(bad, valid));
}

/** True when `spec` matches a `--property` selection: its exact name, or a prefix ending in `/`. */
export function matchesProperty(spec: PropertySpec, property: string | undefined): boolean {
  return property === undefined || spec.name === property || (property.endsWith('/') && spec.name.startsWith(property));
}

/**
 * Validates a run's selection before anything runs: kinds and classes must exist, a class must be
 * one the adapter claims for a selected kind, and a property name (or prefix) must name a property
 * of the selected kinds. Returns the selected properties.
 */
export function selectProperties(
  universe: readonly PropertySpec[],
  selection: {
    readonly kinds: readonly SurfaceKind[];
    readonly classes?: readonly DurabilityClass[];
    readonly property?: string;
    readonly capabilities: AdapterCapabilities;
  },
): PropertySpec[] {
  const { kinds, classes, property, capabilities } = selection;
  checkNames('kinds', kinds, SURFACE_KINDS, 'kind');
  if (kinds.length === 0) throw new SelectionError('no kind selected', 'kinds', SURFACE_KINDS);
  if (classes) {
    checkNames('classes', classes, DURABILITY_CLASSES, 'class');
    const claimed = [
      ...new Set(kinds.flatMap((k) => (capabilities.kinds[k]?.classes ?? []).filter((c) => classAllowsKind(c, k)))),
    ];
    const unclaimed = classes.find((c) => !claimed.includes(c));
    if (unclaimed !== undefined)
      throw new SelectionError(
        `the adapter does not claim ${unclaimed} for ${kinds.join(', ')}`,
        'classes',
        claimed,
        closestName(unclaimed, claimed),
      );
  }
  if (property !== undefined) {
    const names = universe.map((p) => p.name);
    if (!universe.some((p) => matchesProperty(p, property))) {
      const prefixes = [...new Set(names.map((n) => `${n.split('/')[0]}/`))];
      throw new SelectionError(
        `unknown property "${property}"`,
        'property',
        [...prefixes, ...names],
        closestName(property, names),
      );
    }
  }
  const selected = universe.filter((p) => kinds.includes(p.kind) && matchesProperty(p, property));
  if (selected.length === 0)
    throw new SelectionError(
      `property "${property}" is of no selected kind (${kinds.join(', ')})`,
      'property',
      universe.filter((p) => kinds.includes(p.kind)).map((p) => p.name),
    );
  return selected;
}
