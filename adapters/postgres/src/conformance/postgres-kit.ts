import { KitSetupError, type ConformanceKit } from '@stateproof/conformance';
import { POSTGRES_MUTANTS } from './postgres-mutants.js';
import { PostgresServer } from './postgres-server.js';
import { postgresTarget } from './postgres-target.js';

/**
 * The Postgres adapter's conformance kit: its target on --url (or STATEPROOF_PG_URL), or, for
 * backend kills, on a server of its own that it starts (initdb in a temp dir) and the harness may
 * kill; the shared server is never killed.
 */
export const postgresKit: ConformanceKit = {
  name: 'postgres',
  description:
    'the Postgres adapter on --url or $STATEPROOF_PG_URL (shared-durable); with --kill-backend on a server of its own (initdb in a temp dir)',
  ownServer: true,
  urlEnvironment: 'STATEPROOF_PG_URL',
  async target(settings) {
    if (!settings.ownServer) return postgresTarget(settings.url === undefined ? {} : { url: settings.url });
    let server: PostgresServer;
    try {
      server = await PostgresServer.start();
    } catch (error) {
      throw new KitSetupError(
        `--kill-backend needs a Postgres server of the harness's own, and none could be started: ${(error as Error).message}`,
        'Install the PostgreSQL server binaries (initdb, postgres) or point STATEPROOF_PG_BIN at them. The shared server is never killed.',
      );
    }
    return postgresTarget({ url: server.url, server });
  },
  mutants: POSTGRES_MUTANTS,
};
