import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkDocument, ManifestSchema, manifestFingerprint } from '@stateproof/spec';
import { buildManifest, createRegistry, diffSurfaces, log, readManifest, record } from '@stateproof/core';

function surfaces(description = 'orders by id') {
  const r = createRegistry();
  return [
    record('orders.by-id', {
      durability: 'shared-durable',
      value: Type.Object({ id: Type.String({ description }) }),
      description,
      owner: 'team-a',
      registry: r,
    }),
    log('audit', {
      durability: 'telemetry',
      value: Type.String(),
      retention: { maxEntries: 10 },
      recovery: 'rebuild from the ledger',
      registry: r,
    }),
  ];
}

describe('manifest', () => {
  it('is sorted by id, valid against the schema, and fingerprinted', () => {
    const m = buildManifest(surfaces(), { app: 'shop', generator: { name: 'stateproof', version: '0.1.0' } });
    expect(m.surfaces.map((s) => s.id)).toEqual(['audit', 'orders.by-id']);
    expect(checkDocument(ManifestSchema, m)).toEqual([]);
    expect(m.fingerprint).toBe(manifestFingerprint(m.surfaces));
    expect(m.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps its fingerprint when prose or locations change, and changes it when semantics do', () => {
    const a = buildManifest(surfaces('one'));
    const b = buildManifest(surfaces('two'), { withoutLocations: true });
    expect(b.fingerprint).toBe(a.fingerprint);
    const r = createRegistry();
    const c = buildManifest([
      record('orders.by-id', {
        durability: 'restart-safe-local',
        value: Type.Object({ id: Type.String() }),
        registry: r,
      }),
      surfaces()[1]!,
    ]);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(diffSurfaces(a.surfaces, c.surfaces)).toEqual({ added: [], removed: [], changed: ['orders.by-id'] });
  });

  it('diffs added, removed and changed surfaces', () => {
    const r = createRegistry();
    const before = [
      record('a', { durability: 'ephemeral', value: Type.String(), registry: r }).definition,
      record('b', { durability: 'ephemeral', value: Type.String(), registry: r }).definition,
    ];
    const r2 = createRegistry();
    const after = [
      record('b', { durability: 'ephemeral', value: Type.Number(), registry: r2 }).definition,
      record('c', { durability: 'ephemeral', value: Type.String(), registry: r2 }).definition,
    ];
    expect(diffSurfaces(before, after)).toEqual({ added: ['c'], removed: ['a'], changed: ['b'] });
  });

  it('reads a manifest strictly and verifies its fingerprint', () => {
    const m = buildManifest(surfaces());
    const text = JSON.stringify(m, null, 2);
    expect(readManifest(text).fingerprint).toBe(m.fingerprint);
    const tampered = JSON.stringify({ ...m, surfaces: m.surfaces.map((s) => ({ ...s, class: 'ephemeral' })) });
    expect(() => readManifest(tampered)).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_INVALID_DOCUMENT', path: '/fingerprint' }),
    );
    expect(() => readManifest('{"manifestVersion":1,"manifestVersion":1}')).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_JSON_PARSE' }),
    );
    expect(() => readManifest(JSON.stringify({ ...m, surfaces: [{ ...m.surfaces[0], kind: 'table' }] }))).toThrow(
      expect.objectContaining({ code: 'STATEPROOF_INVALID_DOCUMENT', path: '/surfaces/0/kind' }),
    );
  });
});
