import type { SurfaceKind } from '@stateproof/spec';
import type { PgDatabase } from '../db/pg-database.js';

/**
 * Maps each surface's scoped keyspace (a long string built by core) to a small integer that every
 * row carries. Ids are found or created once per adapter instance and cached; a failure is not
 * cached, so a lost connection at startup does not poison the store.
 */
export class SpaceRegistry {
  private readonly ids = new Map<string, Promise<number>>();

  constructor(
    private readonly db: PgDatabase,
    private readonly schema: string,
  ) {}

  /** The id of `space` for `kind`. */
  id(kind: SurfaceKind, space: string): Promise<number> {
    const key = `${kind}\u0000${space}`;
    let p = this.ids.get(key);
    if (!p) {
      p = this.lookup(kind, space);
      this.ids.set(key, p);
      p.catch(() => this.ids.delete(key));
    }
    return p;
  }

  private async lookup(kind: SurfaceKind, space: string): Promise<number> {
    // The select half does not see a row another process committed while this insert waited for
    // it (same statement, same snapshot), so an empty answer just means "ask again".
    for (let attempt = 0; attempt < 5; attempt++) {
      const rows = await this.db.query<{ id: number }>(
        'registering a surface',
        `with ins as (insert into ${this.schema}.spaces (kind, space) values ($1, $2) on conflict (kind, space) do nothing returning id)
         select id from ins union all select id from ${this.schema}.spaces where kind = $1 and space = $2`,
        [kind, space],
        { idempotent: true },
      );
      if (rows[0]) return rows[0].id;
    }
    throw new Error(`internal: surface space of kind ${kind} could not be registered`);
  }
}
