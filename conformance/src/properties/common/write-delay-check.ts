import type { AnySurface } from '@stateproof/core';
import type { Fixture } from '../../environment/fixture.js';
import type { PropertyEnv } from '../../environment/property-spec.js';
import type { DelayedWrite } from '../../environment/write-delay.js';
import { expectModel } from '../../models/model-mismatch.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** The `applies` of the lease-at-write properties: they need a target that delays writes. */
export function writeDelayDeclared(env: PropertyEnv): true | string {
  return env.target.writeDelay === true
    ? true
    : 'the target does not declare writeDelay (ConformanceTarget.writeDelay, options.writeDelay): no write can be made to wait past a lease expiry';
}

/**
 * Arms the fixture's write delay for the next `operation` of `kind` so that the lease ending at
 * `expiresAt` has expired when the write judges it: on an injected clock exactly `extraMs` past the
 * expiry (0: at the expiry instant, which already counts as expired); on a server clock a sleep of
 * the whole lease plus the declared tolerance, measured from after the lease began.
 */
export function armPastLease(
  fixture: Fixture<readonly AnySurface[]>,
  write: Pick<DelayedWrite, 'kind' | 'operation'>,
  lease: { readonly leaseMs: number; readonly expiresAt: number },
  extraMs: number,
): void {
  const ms = fixture.time.exact
    ? Math.max(0, lease.expiresAt - fixture.time.now()) + extraMs
    : lease.leaseMs + fixture.time.slackMs + 25 + extraMs;
  fixture.writeDelay.arm(ms, (w) => w.kind === write.kind && w.operation === write.operation);
}

/** Fails unless the adapter called the delay inside the write (else the target's declaration is false). */
export function expectDelayed(
  fixture: Fixture<readonly AnySurface[]>,
  write: Pick<DelayedWrite, 'kind' | 'operation'>,
  requirements: readonly RequirementId[],
): void {
  const delayed = fixture.writeDelay.delayed.some((w) => w.kind === write.kind && w.operation === write.operation);
  expectModel(
    delayed,
    requirements,
    () =>
      `write delay not injected: the target declares writeDelay but ${write.kind} ${write.operation} never called options.writeDelay`,
  );
}
