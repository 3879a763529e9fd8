import type { Client, ClientConfig } from 'pg';
// pg's CommonJS index does require('pg-pool'), which resolves to pg-pool's ESM build when the
// process runs with the `import` condition (vitest passes its resolve conditions to Node), and
// then fails at load. The client module has no such require; the adapter keeps its own pool.
import ClientClass from 'pg/lib/client.js';

/** A new, unconnected pg client. */
export function newClient(config: ClientConfig): Client {
  return new (ClientClass as unknown as new (config: ClientConfig) => Client)(config);
}

/** The backend process id of a connected client (what pg_terminate_backend takes). */
export function backendPid(client: Client): number | undefined {
  const pid = (client as unknown as { processID?: unknown }).processID;
  return typeof pid === 'number' ? pid : undefined;
}

/** Runs `fn` on a fresh connection to `url` and closes it (for administration: probes, fault injection). */
export async function withAdminClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = newClient({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: 'stateproof-admin',
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
