import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { RecordBinding, RecordStore } from '@stateproof/core/adapter-kit';
import { NOW } from '../../db/server-time.js';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { PgRecordStore } from '../../stores/pg-record-store.js';
import { postgresTarget } from '../postgres-target.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/** A record store that keeps a record live at its expiry instant: `>=` where the contract says `>`. */
class InclusiveExpiryRecordStore extends PgRecordStore {
  protected override live(row?: string): string {
    const column = row === undefined ? 'expires_at' : `${row}.expires_at`;
    return `(${column} is null or ${column} >= ${NOW})`;
  }
}

/** The Postgres adapter with that record store. */
class InclusiveExpiryPostgresAdapter extends PostgresAdapter {
  override async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new InclusiveExpiryRecordStore(this.db, this.s, this.spaceOf('record', binding), binding);
  }
}

/**
 * The broken adapter as a target on the shared server, with clock injection like the real target:
 * the exact-time properties run on the suite's clock against its SQL (only there is one ms visible).
 */
export function inclusiveExpiryPostgresTarget(): ConformanceTarget {
  return {
    ...postgresTarget({ url: sharedPostgresUrl(), adapter: InclusiveExpiryPostgresAdapter }),
    name: 'mutant:postgres-record-live-at-expiry-instant',
  };
}

/** Mutants of the Postgres record store's expiry, caught only at the exact instant (record/expiry-boundary). */
export const RECORD_EXPIRY_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-record-live-at-expiry-instant',
    kind: 'record',
    bug: 'the record statements keep a record live while expires_at >= now instead of > now: at exactly expiresAt get still returns it, list shows it, ifAbsent conflicts, ifVersion and delete still act',
    breaks: ['REC-007', 'REC-018'],
    properties: ['record/expiry-boundary'],
    target: inclusiveExpiryPostgresTarget,
    unavailable: () => sharedPostgresUnavailable(),
  },
];
