import type { TSchema } from '@sinclair/typebox';
import { CLASSES, isDurabilityClass, type DurabilityClass } from '../taxonomy/durability-class.js';
import { checkDocument, InvalidDocumentError, type DocumentProblem } from '../schemas/document-validator.js';
import {
  INVENTORY_DEFAULT_MAX_VALUE_BYTES,
  InventoryV1Schema,
  InventoryV2Schema,
  type CurrentState,
  type InventoryDocument,
  type InventorySurfaceDocument,
} from '../schemas/inventory.js';
import type { SurfaceDefinitionDocument } from '../schemas/surface-definition.js';

/** One surface of an inventory: its manifest-shaped entry (defaults filled in) and what it runs on today. */
export interface InventoryEntry {
  /** The surface as a manifest entry (a version 2 surface through {@link entryOfInventorySurface}). */
  readonly entry: SurfaceDefinitionDocument;
  /** What the surface runs on today, when the inventory says. */
  readonly current?: CurrentState;
}

/** The inventory version a parsed document declares: 1 when it says `inventoryVersion: 1`, else 2 (the default). */
export function inventoryVersionOf(value: unknown): 1 | 2 {
  const v =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['inventoryVersion'] : undefined;
  return v === 1 ? 1 : 2;
}

/** The schema a document is validated against: version 1 or 2, by its `inventoryVersion`. */
export function inventorySchemaFor(value: unknown): TSchema {
  return inventoryVersionOf(value) === 1 ? InventoryV1Schema : InventoryV2Schema;
}

const surfaceAt = (value: unknown, i: string): Record<string, unknown> | undefined => {
  const surfaces =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['surfaces'] : undefined;
  const s = Array.isArray(surfaces) ? surfaces[Number(i)] : undefined;
  return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
};

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Validates an inventory against the schema of its version. The class is spelled `durability` in a
 * version 2 inventory (as in the TypeScript API); `class` there is one problem that names the right
 * word, instead of "not an allowed property" and "missing durability". `durability` in a version 1
 * document says which version takes it.
 */
export function checkInventory(value: unknown): DocumentProblem[] {
  const version = inventoryVersionOf(value);
  const problems = checkDocument(inventorySchemaFor(value), value);
  const out: DocumentProblem[] = [];
  for (const p of problems) {
    const misspelt = /^\/surfaces\/(\d+)(\/current)?\/class$/.exec(p.path);
    if (version === 2 && misspelt && p.message === 'is not an allowed property') {
      const s = surfaceAt(value, misspelt[1] as string);
      const cls = misspelt[2] ? (s?.['current'] as Record<string, unknown> | undefined)?.['class'] : s?.['class'];
      out.push({
        path: p.path,
        message: `\`class\` is spelled \`durability\` in an inventory: write durability: ${shown(cls)}${misspelt[2] ? '' : ' (inventoryVersion 1 documents keep class)'}`,
      });
      continue;
    }
    const missing = /^\/surfaces\/(\d+)$/.exec(p.path);
    // The misspelling is reported once, at the word, not also as a missing property.
    if (missing && p.message === `must have required property '${version === 2 ? 'durability' : 'class'}'`) {
      const s = surfaceAt(value, missing[1] as string);
      if (s && (version === 2 ? 'class' : 'durability') in s) continue;
    }
    if (version === 1 && /^\/surfaces\/\d+\/durability$/.test(p.path) && p.message === 'is not an allowed property') {
      out.push({
        path: p.path,
        message:
          '`durability` is the word of inventory version 2: remove `inventoryVersion: 1` (version 2 needs only id, kind and durability), or write class in this version 1 document',
      });
      continue;
    }
    out.push(p);
  }
  return out;
}

/** Validates an inventory; throws InvalidDocumentError (STATEPROOF_INVALID_DOCUMENT) listing every problem. */
export function assertInventory(value: unknown): asserts value is InventoryDocument {
  const problems = checkInventory(value);
  if (problems.length > 0) throw new InvalidDocumentError('inventory', problems);
}

/** A version 2 inventory surface as a manifest entry: `durability` becomes `class`, absent fields get their defaults. */
export function entryOfInventorySurface(s: InventorySurfaceDocument): SurfaceDefinitionDocument {
  const { durability, current: _current, scope, schemaVersion, schemas, bounds, options, ...rest } = s;
  const { maxValueBytes, ...retention } = bounds ?? {};
  const { id, kind, source, owner, recovery, description, location } = rest;
  return {
    id,
    kind,
    class: durability,
    scope: scope ?? 'app',
    schemaVersion: schemaVersion ?? 1,
    schemas: schemas ?? {},
    bounds: { maxValueBytes: maxValueBytes ?? INVENTORY_DEFAULT_MAX_VALUE_BYTES, ...retention },
    options: options ?? {},
    ...(source === undefined ? {} : { source }),
    ...(owner === undefined ? {} : { owner }),
    ...(recovery === undefined ? {} : { recovery }),
    ...(description === undefined ? {} : { description }),
    ...(location === undefined ? {} : { location }),
  };
}

/** The surfaces of a valid inventory of either version, in file order, as manifest entries with their `current`. */
export function inventoryEntries(doc: InventoryDocument): InventoryEntry[] {
  if (doc.inventoryVersion === 1) return doc.surfaces.map((entry) => ({ entry }));
  return doc.surfaces.map((s) => ({
    entry: entryOfInventorySurface(s),
    ...(s.current === undefined ? {} : { current: s.current }),
  }));
}

/**
 * The class a surface has today, from its `current` section: `durability` when given; else from the
 * backend: `memory` (or `memory:…`) is ephemeral, `sqlite:…` or a file ending .db, .sqlite or .sqlite3
 * is restart-safe-local; a server URL (postgres://, redis://) or any other name is unknown
 * (undefined): its class depends on the server's settings, which the file does not say.
 */
export function currentDurability(current: CurrentState | undefined): DurabilityClass | undefined {
  if (!current) return undefined;
  if (current.durability !== undefined && isDurabilityClass(current.durability)) return current.durability;
  const backend = current.backend?.trim().toLowerCase();
  if (backend === undefined) return undefined;
  if (backend === 'memory' || backend.startsWith('memory:')) return 'ephemeral';
  if (backend.startsWith('sqlite:') || backend === 'sqlite' || /\.(db|sqlite3?)$/.test(backend))
    return 'restart-safe-local';
  return undefined;
}

/** A guarantee of the taxonomy that a class can lose, with the fault it is about. */
export interface GuaranteeLoss {
  /** The guarantee vector field (spec/src/taxonomy/durability-class.ts). */
  readonly guarantee: 'survivesProcessKill' | 'survivesBackendKill' | 'sharedAcrossReplicas';
  /** What is lost, in words. */
  readonly lost: string;
  /** On which fault or condition. */
  readonly fault: string;
}

/** What each compared guarantee protects and against which fault; the classes' values come from CLASSES. */
const GUARANTEE_WORDS: Readonly<Record<GuaranteeLoss['guarantee'], { lost: string; fault: string }>> = {
  survivesProcessKill: { lost: 'acknowledged writes', fault: 'a kill or restart of the application process' },
  survivesBackendKill: { lost: 'acknowledged writes', fault: 'a kill of the backend server' },
  sharedAcrossReplicas: {
    lost: 'one copy shared by every replica (each would keep its own)',
    fault: 'a deployment of several replicas',
  },
};

/** Strength of a guarantee value; `not-applicable` is undefined (the fault does not exist for that class). */
const STRENGTH: Readonly<Record<string, number | undefined>> = {
  yes: 4,
  rebuildable: 3,
  'as-source': 3,
  'best-effort': 1,
  optional: 1,
  no: 0,
  'not-applicable': undefined,
};

/**
 * The guarantees `declared` gives that `current` does not, from the classes' guarantee vectors;
 * empty when `current` may host a surface of class `declared` (CLASSES[declared].hostedBy).
 */
export function durabilityGap(declared: DurabilityClass, current: DurabilityClass): GuaranteeLoss[] {
  if (CLASSES[declared].hostedBy.includes(current)) return [];
  const out: GuaranteeLoss[] = [];
  for (const guarantee of Object.keys(GUARANTEE_WORDS) as GuaranteeLoss['guarantee'][]) {
    const want = STRENGTH[CLASSES[declared].guarantees[guarantee]];
    const have = STRENGTH[CLASSES[current].guarantees[guarantee]];
    if (want !== undefined && have !== undefined && have < want) out.push({ guarantee, ...GUARANTEE_WORDS[guarantee] });
  }
  return out;
}
