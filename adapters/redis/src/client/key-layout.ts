import { KEYSPACE_VERSION, encodeScopePart } from '@stateproof/core/adapter-kit';

/**
 * The separator between a structure's fixed name and a user key. Keys, ids and topics never hold
 * control characters (core validates them), so a user part can never forge a separator, and a
 * fixed name never contains one.
 */
export const KEY_SEPARATOR = '\u001f';

/**
 * The Redis Cluster hash tag of a namespace: `{sp1:<namespace>}`. Every key of one namespace starts
 * with it, so every script touches keys of one slot. Core's scope encoding escapes `{` and `}`, so the
 * tag closes exactly where the namespace ends; a `{` in a user key later on does not count, since
 * Redis hashes only the first `{…}` of a key.
 */
export function namespaceTag(namespace: string): string {
  return `{${KEYSPACE_VERSION}:${encodeScopePart(namespace)}}`;
}

/**
 * The base of every key of one surface: the binding's scoped space (built by core from namespace,
 * app, deployment and surface id) with its namespace head wrapped in the hash tag, so
 * `sp1:<ns>:a:<app>:<surface>:` becomes `{sp1:<ns>}:a:<app>:<surface>:`.
 */
export function surfaceBase(space: string, namespace: string): string {
  const head = `${KEYSPACE_VERSION}:${encodeScopePart(namespace)}`;
  if (!space.startsWith(`${head}:`))
    throw new Error(`internal: the space ${JSON.stringify(space)} is not under the namespace ${namespace}`);
  return `{${head}}${space.slice(head.length)}`;
}

/**
 * Keys of one surface. Fixed structures are `base + name`; per-key structures are
 * `base + name + US + userKey`, so a user key can neither collide with a fixed name nor reach into
 * another surface or namespace, whatever its characters (`{ } * ? [ \ :` included).
 */
export class SurfaceKeys {
  constructor(
    /** `{sp1:<ns>}:…:<surface>:` (see {@link surfaceBase}). */
    readonly base: string,
  ) {}

  /** A fixed structure of the surface (an index, a counter, a hash of metadata). */
  fixed(name: string): string {
    return this.base + name;
  }

  /** The prefix of the per-key structures named `name`: append the user key to it. */
  prefix(name: string): string {
    return this.base + name + KEY_SEPARATOR;
  }

  /** The per-key structure `name` of the user key `key`. */
  of(name: string, key: string): string {
    return this.base + name + KEY_SEPARATOR + key;
  }
}

/** Keys the adapter keeps per namespace, beside every surface: counters and operation replies. */
export class NamespaceKeys {
  /** The namespace's Cluster hash tag, `{sp1:<namespace>}`: the start of every key. */
  readonly tag: string;

  /** The keys of `namespace`. */
  constructor(
    /** The namespace. */
    readonly namespace: string,
  ) {
    this.tag = namespaceTag(namespace);
  }

  /** A key of the namespace itself (no surface). */
  fixed(name: string): string {
    return `${this.tag}:${name}`;
  }

  /** The SCAN pattern of every key of the namespace (the tag holds no pattern characters). */
  get pattern(): string {
    return `${this.tag}*`;
  }
}
