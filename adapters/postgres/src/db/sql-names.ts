import { createHash } from 'node:crypto';
import { InvalidOptionsError } from '@stateproof/core/adapter-kit';

/** Longest identifier Postgres keeps (NAMEDATALEN - 1 bytes); longer ones are silently cut, so they are refused. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Checks that `namespace` can be this adapter's schema. The adapter owns its schema entirely (it
 * creates it, migrates it, and tests drop it), so system schemas and `public` are refused.
 */
export function validateSchemaName(namespace: unknown): asserts namespace is string {
  const fail = (why: string): never => {
    throw new InvalidOptionsError(`namespace ${why}`, {
      path: 'namespace',
      hint: 'The namespace is the Postgres schema the adapter owns: use a dedicated name such as "stateproof" or "orders_prod".',
    });
  };
  if (typeof namespace !== 'string' || namespace.length === 0) fail('must be a non-empty string');
  const name = namespace as string;
  if (/[\u0000-\u001f\u007f]/.test(name)) fail('must not contain control characters');
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES)
    fail(
      `is ${Buffer.byteLength(name, 'utf8')} UTF-8 bytes; Postgres schema names are at most ${MAX_IDENTIFIER_BYTES}`,
    );
  if (/^pg_/i.test(name) || name === 'information_schema') fail(`"${name}" is reserved for Postgres system schemas`);
  if (name === 'public')
    fail('"public" is shared with everything else in the database; stateproof needs a schema of its own');
}

/** Quotes an identifier for SQL text (identifiers cannot be parameters); `"` is doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A short, stable digest (hex) of text, for names that must fit Postgres identifiers. */
export function shortDigest(text: string, hexChars = 16): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, hexChars);
}

/**
 * The LISTEN/NOTIFY channel of one surface. Channels are global to the database, not per schema,
 * so the name carries a digest of the schema; it stays well under 63 bytes and needs no quoting
 * beyond the usual.
 */
export function channelName(schema: string, kind: 'log' | 'queue' | 'dataspace' | 'channel', spaceId: number): string {
  return `sp_${shortDigest(schema)}_${kind[0]}${spaceId}`;
}

/**
 * A string literal for SQL text, for the few places a name cannot be a parameter (the regclass of
 * `nextval`). The E'' form treats backslashes the same whatever `standard_conforming_strings` says.
 */
export function sqlLiteral(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
