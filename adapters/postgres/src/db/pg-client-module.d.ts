/** The pg client class, loaded by path (see pg-client.ts for why). */
declare module 'pg/lib/client.js' {
  import type { Client } from 'pg';
  const ClientClass: typeof Client;
  export default ClientClass;
}
