import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FINGERPRINT_PATTERN,
  fingerprintOf,
  manifestFingerprint,
  semanticDocument,
  stripAnnotations,
  type SurfaceDefinitionDocument,
} from '@stateproof/spec';

const vectors = JSON.parse(readFileSync(new URL('../vectors/fingerprint.json', import.meta.url), 'utf8')) as {
  cases: Array<{
    name: string;
    surfaces: SurfaceDefinitionDocument[];
    fingerprint: string;
    sameAs?: string;
    differsFrom?: string;
  }>;
};

describe('manifest fingerprint', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('matches the vector: %s', (_name, c) => {
    expect(manifestFingerprint(c.surfaces)).toBe(c.fingerprint);
    expect(c.fingerprint).toMatch(FINGERPRINT_PATTERN);
  });

  it('has the equalities and differences the vectors claim', () => {
    const byName = new Map(vectors.cases.map((c) => [c.name, c.fingerprint]));
    for (const c of vectors.cases) {
      if (c.sameAs) expect(c.fingerprint).toBe(byName.get(c.sameAs));
      if (c.differsFrom) expect(c.fingerprint).not.toBe(byName.get(c.differsFrom));
    }
    expect(vectors.cases.filter((c) => c.sameAs).length).toBeGreaterThanOrEqual(3);
    expect(vectors.cases.filter((c) => c.differsFrom).length).toBeGreaterThanOrEqual(3);
  });

  it('is SHA-256 of the RFC 8785 semantic document', () => {
    const surfaces = vectors.cases[2]?.surfaces ?? [];
    expect(manifestFingerprint(surfaces)).toBe(fingerprintOf(semanticDocument(surfaces)));
    expect(semanticDocument(surfaces).fingerprintVersion).toBe(1);
  });

  it('strips annotations only where a schema is expected', () => {
    const schema = {
      title: 'T',
      type: 'object',
      properties: { title: { type: 'string', description: 'x' }, description: { const: 'keep' } },
      items: [{ $comment: 'c', type: 'number' }],
      anyOf: [{ examples: [1], minimum: 0 }],
      default: { description: 'data, kept' },
      enum: [{ title: 'data' }],
    };
    expect(stripAnnotations(schema)).toEqual({
      type: 'object',
      properties: { title: { type: 'string' }, description: { const: 'keep' } },
      items: [{ type: 'number' }],
      anyOf: [{ minimum: 0 }],
      default: { description: 'data, kept' },
      enum: [{ title: 'data' }],
    });
  });
});
