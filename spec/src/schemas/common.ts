import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DURABILITY_CLASSES } from '../taxonomy/durability-class.js';
import { SURFACE_KINDS } from '../taxonomy/surface-kind.js';

/** Base of every schema `$id`; the file name carries the schema version. */
export const SCHEMA_BASE_URL = 'https://stateproof.dev/schema/';

/** Pattern of ids and keys: at least one character, no C0/C1 control characters (the 512-byte limit is checked in code). */
export const NO_CONTROL_CHARS = '^[^\\u0000-\\u001f\\u007f-\\u009f]+$';

/** A surface id such as `orders.by-id`. */
export const SurfaceIdSchema = Type.String({
  minLength: 1,
  maxLength: 512,
  pattern: NO_CONTROL_CHARS,
  description: 'Stable surface id: a literal, at most 512 UTF-8 bytes, no control characters.',
});

/** One of the five durability classes. */
export const DurabilityClassSchema = Type.Union(
  DURABILITY_CLASSES.map((c) => Type.Literal(c)),
  { description: 'Durability class (see the taxonomy).' },
);

/** One of the six surface kinds. */
export const SurfaceKindSchema = Type.Union(
  SURFACE_KINDS.map((k) => Type.Literal(k)),
  { description: 'Surface kind.' },
);

/** A fingerprint `sha256:<64 hex>`. */
export const FingerprintSchema = Type.String({
  pattern: '^sha256:[0-9a-f]{64}$',
  description: 'SHA-256 of the RFC 8785 form, as sha256:<hex>.',
});

/** A JSON Schema (an object, or a boolean schema). */
export const JsonSchemaSchema = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Boolean()], {
  description: 'A JSON Schema (draft-07 compatible).',
});

/** A positive integer number of milliseconds. */
export const DurationMsSchema = Type.Integer({ minimum: 1, description: 'Milliseconds.' });

/** A tool or adapter identity. */
export const NamedVersionSchema = Type.Object(
  {
    /** The name, e.g. the npm package name. */
    name: Type.String({ minLength: 1 }),
    /** Its version. */
    version: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

/** A source position, 1-based. */
export const SourceLocationSchema = Type.Object(
  {
    /** Path relative to the project root, with forward slashes. */
    file: Type.String({ minLength: 1, description: 'Path relative to the project root, with forward slashes.' }),
    /** 1-based line. */
    line: Type.Integer({ minimum: 1 }),
    /** 1-based column, when known. */
    column: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Static type of a source location. */
export type SourceLocation = Static<typeof SourceLocationSchema>;

/** Wraps a document schema with its `$id`, title and version. */
export function documentSchema<T extends TSchema>(name: string, version: number, title: string, schema: T): T {
  return Object.assign(schema, {
    $id: `${SCHEMA_BASE_URL}${name}.v${version}.schema.json`,
    title,
    'x-stateproof-version': version,
  });
}

/** A document schema embedded in another document: the same shape without its own `$id`. */
export function embedded<T extends TSchema>(schema: T): T {
  const { $id: _id, ...rest } = schema;
  return rest as T;
}
