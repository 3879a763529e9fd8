import { describe, expect, it } from 'vitest';
import {
  CLASSES,
  DURABILITY_CLASSES,
  InvalidDocumentError,
  InventorySchema,
  assertInventory,
  checkDocument,
  checkInventory,
  currentDurability,
  durabilityGap,
  inventoryEntries,
  type InventoryDocument,
} from '@stateproof/spec';

const minimal = {
  surfaces: [{ id: 'router.responses', kind: 'record', durability: 'shared-durable', owner: 'router' }],
};
const v1 = {
  inventoryVersion: 1,
  surfaces: [
    {
      id: 'invoices',
      kind: 'record',
      class: 'shared-durable',
      scope: 'app',
      schemaVersion: 1,
      schemas: {},
      bounds: { maxValueBytes: 1048576 },
      options: {},
    },
  ],
};

describe('inventory documents, version 2 and version 1', () => {
  it('accepts the four-line surface, with or without inventoryVersion 2, and version 1 documents', () => {
    for (const doc of [minimal, { inventoryVersion: 2, ...minimal }, v1]) {
      expect(checkInventory(doc)).toEqual([]);
      expect(checkDocument(InventorySchema, doc)).toEqual([]);
    }
  });

  it('fills the defaults in, so both versions of the same surfaces are the same entries', () => {
    const v2 = { surfaces: [{ id: 'invoices', kind: 'record', durability: 'shared-durable' }] } as InventoryDocument;
    expect(inventoryEntries(v2)).toEqual(inventoryEntries(v1 as InventoryDocument));
  });

  it('names durability when a version 2 document writes class, as a typed error', () => {
    const doc = { surfaces: [{ id: 'a', kind: 'record', class: 'ephemeral' }] };
    expect(checkInventory(doc)).toEqual([
      {
        path: '/surfaces/0/class',
        message:
          '`class` is spelled `durability` in an inventory: write durability: ephemeral (inventoryVersion 1 documents keep class)',
      },
    ]);
    expect(() => assertInventory(doc)).toThrow(InvalidDocumentError);
    expect(() => assertInventory(doc)).toThrow(/`class` is spelled `durability`/);
  });

  it('rejects an unknown inventory version', () => {
    expect(checkInventory({ inventoryVersion: 3, surfaces: [] })).toEqual([
      { path: '/inventoryVersion', message: 'must be equal to constant' },
    ]);
  });
});

describe('declared versus current', () => {
  it('derives the current class from the backend only when the backend says it', () => {
    expect(currentDurability({ backend: 'memory' })).toBe('ephemeral');
    expect(currentDurability({ backend: 'sqlite:./state.db' })).toBe('restart-safe-local');
    expect(currentDurability({ backend: 'data/state.sqlite3' })).toBe('restart-safe-local');
    expect(currentDurability({ backend: 'postgres://db/x' })).toBeUndefined();
    expect(currentDurability({ backend: 'redis://cache' })).toBeUndefined();
    expect(currentDurability({ backend: 'redis://cache', durability: 'shared-durable' })).toBe('shared-durable');
    expect(currentDurability({ restart: 'lost on restart' })).toBeUndefined();
    expect(currentDurability(undefined)).toBeUndefined();
  });

  it('has no gap where the current class may host the declared one, and a gap from the guarantee vectors elsewhere', () => {
    for (const declared of DURABILITY_CLASSES)
      for (const current of CLASSES[declared].hostedBy) expect(durabilityGap(declared, current)).toEqual([]);
    expect(durabilityGap('shared-durable', 'ephemeral').map((l) => l.guarantee)).toEqual([
      'survivesProcessKill',
      'survivesBackendKill',
      'sharedAcrossReplicas',
    ]);
    expect(durabilityGap('shared-durable', 'restart-safe-local').map((l) => l.guarantee)).toEqual([
      'sharedAcrossReplicas',
    ]);
    expect(durabilityGap('restart-safe-local', 'ephemeral').map((l) => l.guarantee)).toEqual(['survivesProcessKill']);
    // Every loss is a guarantee the declared class gives and the current one does not.
    for (const declared of DURABILITY_CLASSES)
      for (const current of DURABILITY_CLASSES)
        for (const loss of durabilityGap(declared, current))
          expect(CLASSES[declared].guarantees[loss.guarantee]).not.toBe(CLASSES[current].guarantees[loss.guarantee]);
  });
});
