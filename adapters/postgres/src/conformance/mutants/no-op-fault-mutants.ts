import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { postgresFaults, postgresTarget } from '../postgres-target.js';
import { sharedPostgresUnavailable, sharedPostgresUrl } from './shared-server.js';

/**
 * The real Postgres target whose `dropConnections` does nothing (a hook left unfinished, or one that
 * terminates the wrong pids): every connection-loss check then passes without a fault. Its
 * `connectionIdentity` is the real one, so the suite sees the connections survive.
 */
export function noOpFaultPostgresTarget(): ConformanceTarget {
  const url = sharedPostgresUrl();
  const { spawn: _spawn, ...real } = postgresTarget({ url });
  return {
    ...real,
    name: 'mutant:postgres-no-op-fault',
    faults: { ...postgresFaults(url), dropConnections: async () => undefined },
  };
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
    unavailable: () => sharedPostgresUnavailable(),
  },
];
