import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { DataspaceStore } from '@stateproof/core';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { PgDataspaceStore } from '../../stores/pg-dataspace-store.js';
import type { PgDataspaceContext } from '../../stores/pg-store-context.js';
import { postgresTarget } from '../postgres-target.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/**
 * A glob translated into LIKE with `%` and `_` escaped but not LIKE's escape character itself: the
 * glob `\\a` (a literal backslash, then `a`) becomes LIKE `\a`, which matches only `a`, so the id
 * `\a` is never selected (and a pattern ending in a literal backslash makes LIKE fail).
 */
class UnescapedBackslashDataspaceStore extends PgDataspaceStore {
  protected override globLike(pattern: string): string {
    let out = '';
    const chars = Array.from(pattern);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      if (c === '\\') {
        const next = chars[++i];
        if (next !== undefined) out += /[%_]/.test(next) ? `\\${next}` : next;
      } else if (c === '*') out += '%';
      else if (c === '?') out += '_';
      else out += /[%_]/.test(c) ? `\\${c}` : c;
    }
    return out;
  }
}

/** The Postgres adapter whose dataspaces use that translation. */
class UnescapedBackslashPostgresAdapter extends PostgresAdapter {
  protected override dataspaceStore(ctx: PgDataspaceContext): DataspaceStore {
    return new UnescapedBackslashDataspaceStore(ctx);
  }
}

/** The shared-server Postgres target with the broken glob translation: the real target, one class swapped. */
export function unescapedBackslashPostgresTarget(): ConformanceTarget {
  return {
    ...postgresTarget({ url: sharedPostgresUrl(), adapter: UnescapedBackslashPostgresAdapter }),
    name: 'mutant:postgres-glob-like-unescaped-backslash',
  };
}

/** Mutants of the Postgres dataspace store's glob translation, caught by dataspace/filters. */
export const POSTGRES_DATASPACE_GLOB_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-glob-like-unescaped-backslash',
    kind: 'dataspace',
    bug: "a glob's escaped backslash is passed to LIKE as a bare \\, LIKE's own escape: \\\\a selects only the id a, never \\a",
    breaks: ['DSP-013'],
    properties: ['dataspace/filters'],
    target: unescapedBackslashPostgresTarget,
    unavailable: () => sharedPostgresUnavailable(),
  },
];
