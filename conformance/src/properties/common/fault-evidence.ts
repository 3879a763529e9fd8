import type { Adapter } from '@stateproof/core';
import type { ConnectionFaults } from '../../environment/conformance-target.js';
import { expectModel } from '../../models/model-mismatch.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** How long the suite waits for severed connections to leave the backend (termination is asynchronous). */
const SETTLE_MS = 500;

/**
 * Fails the run at once when the target's fault hook cannot be verified: `connectionIdentity` is
 * required next to `dropConnections`, since a fault nobody checks is only trusted.
 */
export function expectVerifiableFaults(faults: ConnectionFaults, requirements: readonly RequirementId[]): void {
  expectModel(
    typeof (faults as Partial<ConnectionFaults>).connectionIdentity === 'function',
    requirements,
    () =>
      'fault not injected (cannot be verified): the target has `faults.dropConnections` but no `faults.connectionIdentity(adapter)`; add it (the backend connections the adapter holds, e.g. Postgres backend pids) so the suite can check that the connections were really severed',
  );
}

/** The adapter's connections just before the fault, as the target identifies them. */
export async function connectionsBeforeFault(faults: ConnectionFaults, adapter: Adapter): Promise<readonly string[]> {
  return [...(await faults.connectionIdentity(adapter))];
}

/**
 * Checks that `dropConnections` really severed the connections that existed before it: none of
 * `before` may still be open once the adapter reconnected (waiting a little, since a backend ends a
 * terminated session asynchronously). When the adapter held no connection at the fault, an operation
 * that saw STATEPROOF_BACKEND_UNAVAILABLE is the only evidence accepted. Otherwise the property fails
 * with "fault not injected" against `requirements`.
 */
export async function expectFaultInjected(
  faults: ConnectionFaults,
  adapter: Adapter,
  before: readonly string[],
  observedLoss: boolean,
  requirements: readonly RequirementId[],
): Promise<void> {
  if (before.length === 0) {
    expectModel(
      observedLoss,
      requirements,
      () =>
        'fault not injected: the adapter held no connection when dropConnections ran (connectionIdentity gave none) and no operation saw STATEPROOF_BACKEND_UNAVAILABLE, so nothing shows that a connection was lost',
    );
    return;
  }
  const deadline = Date.now() + SETTLE_MS;
  let survivors: string[];
  for (;;) {
    const now = new Set(await faults.connectionIdentity(adapter));
    survivors = before.filter((id) => now.has(id));
    if (survivors.length === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expectModel(
    survivors.length === 0,
    requirements,
    () =>
      `fault not injected: after dropConnections ${survivors.length} of the ${before.length} connections the adapter held before it were still open ${SETTLE_MS} ms after the adapter reconnected (${survivors.join(', ')})${observedLoss ? '' : ', and no operation saw STATEPROOF_BACKEND_UNAVAILABLE'}`,
  );
}
