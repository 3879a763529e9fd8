import { describe, expect, it } from 'vitest';
import {
  InvalidDocumentError,
  InventorySchema,
  assertInventory,
  checkDocument,
  checkInventory,
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
