import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { DEFAULT_PG_URL, redactUrl } from '../../postgres-options.js';

/** The shared server the kit's mutants run against: the one postgresTarget uses by default. */
export function sharedPostgresUrl(): string {
  return process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;
}

/**
 * Why the shared Postgres server cannot be used (it does not answer `select 1` within 3 s), or
 * undefined when it can. Synchronous, as `Mutant.unavailable` is: a child process asks the server.
 */
export function sharedPostgresUnavailable(url = sharedPostgresUrl()): string | undefined {
  // One answer per URL and process: every mutant on the shared server asks the same question.
  if (!ANSWERS.has(url)) ANSWERS.set(url, ask(url));
  return ANSWERS.get(url);
}

const ANSWERS = new Map<string, string | undefined>();

function ask(url: string): string | undefined {
  const pg = createRequire(import.meta.url).resolve('pg');
  const script = `const { Client } = require(${JSON.stringify(pg)});
const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
c.connect().then(() => c.query('select 1')).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return undefined;
  const why = (r.stderr || r.error?.message || 'no answer').trim().split('\n')[0];
  return `the shared Postgres server at ${redactUrl(url)} is unreachable (${why}); set STATEPROOF_PG_URL to one that answers`;
}
