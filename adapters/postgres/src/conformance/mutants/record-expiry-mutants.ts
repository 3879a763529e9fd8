import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { RecordBinding, RecordStore } from '@stateproof/core/adapter-kit';
import { NOW } from '../../db/server-time.js';
import { DEFAULT_PG_URL, redactUrl, type PostgresAdapterOptions } from '../../postgres-options.js';
import { PostgresAdapter } from '../../postgres-adapter.js';
import { dropPostgresNamespace } from '../../schema/drop-namespace.js';
import { PgRecordStore } from '../../stores/pg-record-store.js';

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

/** The server the mutant runs against: the one postgresTarget uses by default (the shared one). */
function serverUrl(): string {
  return process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;
}

/**
 * The broken adapter as a target on the shared server, with clock injection like the real target:
 * the exact-time properties run on the suite's clock against its SQL (only there is one ms visible).
 */
export function inclusiveExpiryPostgresTarget(): ConformanceTarget {
  const url = serverUrl();
  return {
    name: 'mutant:postgres-record-live-at-expiry-instant',
    create: async ({ namespace, clock, injectClock }) => {
      const options: PostgresAdapterOptions = { url, namespace, maxConnections: 4, ...(injectClock ? { clock } : {}) };
      const adapter = new InclusiveExpiryPostgresAdapter(options);
      await adapter.ready().catch(async (error: unknown) => {
        await adapter.close();
        throw error;
      });
      return adapter;
    },
    clockInjection: true,
    dispose: (namespace) => dropPostgresNamespace({ url, namespace }),
  };
}

/**
 * Why the shared Postgres server cannot be used (it does not answer `select 1` within 3 s), or
 * undefined when it can. Synchronous, as `Mutant.unavailable` is: a child process asks the server.
 */
export function sharedPostgresUnavailable(url = serverUrl()): string | undefined {
  const pg = createRequire(import.meta.url).resolve('pg');
  const script = `const { Client } = require(${JSON.stringify(pg)});
const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
c.connect().then(() => c.query('select 1')).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return undefined;
  const why = (r.stderr || r.error?.message || 'no answer').trim().split('\n')[0];
  return `the shared Postgres server at ${redactUrl(url)} is unreachable (${why}); set STATEPROOF_PG_URL to one that answers`;
}

/** Mutants of the Postgres record store's expiry, caught only at the exact instant (record/expiry-boundary). */
export const RECORD_EXPIRY_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-record-live-at-expiry-instant',
    kind: 'record',
    bug: 'the record statements keep a record live while expires_at >= now instead of > now: at exactly expiresAt get still returns it, list shows it, ifAbsent conflicts, ifVersion and delete still act',
    breaks: ['REC-007', 'REC-018'],
    target: inclusiveExpiryPostgresTarget,
    unavailable: () => sharedPostgresUnavailable(),
  },
];
