import { spawnSync } from 'node:child_process';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { DEFAULT_PG_URL, redactUrl } from '../../postgres-options.js';
import { postgresFaults, postgresTarget } from '../postgres-target.js';

/** The shared server the suite's Postgres target uses. */
const sharedUrl = (): string => process.env['STATEPROOF_PG_URL'] ?? DEFAULT_PG_URL;

/**
 * The real Postgres target whose `dropConnections` does nothing (a hook left unfinished, or one that
 * terminates the wrong pids): every connection-loss check then passes without a fault. Its
 * `connectionIdentity` is the real one, so the suite sees the connections survive.
 */
export function noOpFaultPostgresTarget(): ConformanceTarget {
  const url = sharedUrl();
  const { spawn: _spawn, ...real } = postgresTarget({ url });
  return {
    ...real,
    name: 'mutant:postgres-no-op-fault',
    faults: { ...postgresFaults(url), dropConnections: async () => undefined },
  };
}

/**
 * Why the shared Postgres cannot be reached (a TCP connect to its host and port, in a child process
 * since `unavailable()` is synchronous), or undefined when it can or the URL is a socket path.
 */
export function sharedPostgresUnreachable(url = sharedUrl()): string | undefined {
  const u = new URL(url);
  if (u.hostname === '' || u.hostname.startsWith('%2F')) return undefined;
  const probe = `const s=require('node:net').connect(${Number(u.port || 5432)},${JSON.stringify(u.hostname.replace(/^\[|\]$/g, ''))});s.setTimeout(3000,()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
  const r = spawnSync(process.execPath, ['-e', probe], { timeout: 5_000, stdio: 'ignore' });
  return r.status === 0 ? undefined : `the shared Postgres at ${redactUrl(url)} is unreachable (set STATEPROOF_PG_URL)`;
}

/** Mutants of the Postgres kit's fault hook, caught by the connection-loss properties' fault verification. */
export const NO_OP_FAULT_MUTANTS: readonly Mutant[] = [
  {
    name: 'postgres-no-op-fault',
    kind: 'record',
    bug: 'faults.dropConnections does nothing: the connection-loss checks pass without any connection being lost',
    breaks: ['REC-031'],
    properties: ['record/connection-loss'],
    target: noOpFaultPostgresTarget,
    unavailable: () => sharedPostgresUnreachable(),
  },
];
