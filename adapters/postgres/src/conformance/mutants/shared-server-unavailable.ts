import { spawnSync } from 'node:child_process';
import { DEFAULT_PG_URL, redactUrl } from '../../postgres-options.js';

// A TCP connect in a child process: `unavailable()` is synchronous, a connection attempt is not.
const PROBE = `const s=require('node:net').connect(+process.argv[2],process.argv[1]);s.setTimeout(2000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;

/**
 * Why a mutant on the shared server (STATEPROOF_PG_URL, else the local default) cannot run: the
 * server does not accept connections; undefined when it does.
 */
export function sharedServerUnavailable(url = process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL): string | undefined {
  const u = new URL(url);
  const r = spawnSync(process.execPath, ['-e', PROBE, u.hostname || '127.0.0.1', u.port || '5432'], {
    timeout: 5000,
  });
  return r.status === 0
    ? undefined
    : `the shared Postgres server at ${redactUrl(url)} is unreachable (set STATEPROOF_PG_URL)`;
}
