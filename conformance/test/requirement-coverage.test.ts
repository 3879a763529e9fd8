import { describe, expect, it } from 'vitest';
import { listRequirements } from '@stateproof/spec';
import { MEMORY_MUTANTS as ALL_MUTANTS } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES } from '@stateproof/conformance';

describe('requirement tracing', () => {
  const ids = new Set(listRequirements().map((r) => r.id));
  const covered = new Set<string>(ALL_PROPERTIES.flatMap((p) => p.requirements));

  it('covers every requirement id of spec/contract with at least one property', () => {
    const uncovered = [...ids].filter((id) => !covered.has(id));
    expect(uncovered).toEqual([]);
  });

  it('names only requirement ids that exist, and each property only ids of its own kind (a class id of a kind of its class)', () => {
    for (const p of ALL_PROPERTIES) {
      for (const id of p.requirements) {
        expect(ids.has(id), `${p.name} names ${id}`).toBe(true);
        expect(listRequirements().find((r) => r.id === id)?.kinds, `${p.name} names ${id}`).toContain(p.kind);
      }
    }
  });

  it('gives every property a unique name of the form <kind>/<what>', () => {
    const names = ALL_PROPERTIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of ALL_PROPERTIES) expect(p.name.startsWith(`${p.kind}/`), p.name).toBe(true);
  });

  it('has at least 15 mutants with unique names, each breaking real requirement ids', () => {
    expect(ALL_MUTANTS.length).toBeGreaterThanOrEqual(15);
    expect(new Set(ALL_MUTANTS.map((m) => m.name)).size).toBe(ALL_MUTANTS.length);
    for (const m of ALL_MUTANTS) {
      expect(m.breaks.length, m.name).toBeGreaterThan(0);
      for (const id of m.breaks) expect(ids.has(id), `${m.name} breaks ${id}`).toBe(true);
    }
  });
});
