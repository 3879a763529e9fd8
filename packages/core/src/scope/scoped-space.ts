import type { RuntimeScope, ScopeLevel } from './runtime-scope.js';

/** Version tag of the key layout; changes only with a migration. */
export const KEYSPACE_VERSION = 'sp1';

/**
 * Percent-encodes the separator `:`, the escape `%` and every character that key patterns treat
 * specially (`* ? [ ] \ ^ { } ,`), so that a part never contains a raw separator or pattern character.
 */
export function encodeScopePart(part: string): string {
  return part.replace(/[%:*?[\]\\^{},]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The keyspace of one surface, built centrally so that every adapter scopes keys the same way:
 *
 * - app level: `sp1:<namespace>:a:<app>:<surface>:`
 * - deployment level: `sp1:<namespace>:d:<app>:<deployment>:<surface>:`
 *
 * Parts are encoded with {@link encodeScopePart}, so the number of raw `:` is fixed by the level:
 * two different scopes never produce the same space, and no space is a prefix of another. Hence
 * `space + key` never collides across scopes, whatever the characters of the parts or the key.
 */
export function scopedSpace(scope: RuntimeScope, level: ScopeLevel, surfaceId: string): string {
  const ns = encodeScopePart(scope.namespace);
  const app = encodeScopePart(scope.app);
  const surface = encodeScopePart(surfaceId);
  return level === 'app'
    ? `${KEYSPACE_VERSION}:${ns}:a:${app}:${surface}:`
    : `${KEYSPACE_VERSION}:${ns}:d:${app}:${encodeScopePart(scope.deployment)}:${surface}:`;
}
