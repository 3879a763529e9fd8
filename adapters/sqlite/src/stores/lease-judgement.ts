import type { BeforeLeaseJudgement, LeaseJudgedWrite } from '@stateproof/core/adapter-kit';

/**
 * Calls the test seam `beforeLeaseJudgement` (AdapterTestHooks) inside a write transaction, just
 * before the write reads the clock to judge a lease. SQLite transactions run synchronously and never
 * span an `await`, so the seam must act at once (move an injected clock) and return nothing.
 */
export function leaseJudgement(hook: BeforeLeaseJudgement | undefined, write: LeaseJudgedWrite): void {
  const returned = hook?.(write);
  if (returned !== undefined) {
    void Promise.resolve(returned).catch(() => undefined);
    throw new Error(
      'internal: the SQLite adapter judges leases inside a synchronous transaction; beforeLeaseJudgement must move the clock and return nothing',
    );
  }
}
