import fc from 'fast-check';
import type { AnySurface, Registry, Runtime } from '@stateproof/core';
import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome, type Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';
import { connectionsBeforeFault, expectFaultInjected, expectVerifiableFaults } from './fault-evidence.js';

/** How one kind takes part in the connection-loss property. */
export interface ConnectionLossSubject<S extends AnySurface, C = undefined> {
  readonly kind: SurfaceKind;
  readonly requirement: RequirementId;
  /** Optional features the subject's operations need. */
  readonly features?: readonly string[];
  define(registry: Registry, cls: DurabilityClass): S;
  /** Prepares per-run context (a session, …) before the fault. */
  setup?(rt: Runtime, surface: S): Promise<C>;
  /** Operation number `i`, attempted while the connections drop; each touches its own key. */
  attempt(rt: Runtime, surface: S, i: number, context: C): Promise<unknown>;
  /**
   * Reads, through another process's runtime, what operation `i` left and returns what is wrong
   * (undefined when it was applied whole, or, unless `acknowledged`, not at all).
   */
  verify(rt: Runtime, surface: S, i: number, acknowledged: boolean): Promise<string | undefined>;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Operations in flight when the adapter's connections are severed either complete or fail with the
 * retryable STATEPROOF_BACKEND_UNAVAILABLE, each is applied whole or not at all, and the adapter
 * reconnects for the next operation. Needs the target's `faults` hook, and checks that the fault
 * happened: the connections the adapter held before it must be gone ("fault not injected" otherwise).
 */
export function connectionLossProperty<S extends AnySurface, C = undefined>(
  subject: ConnectionLossSubject<S, C>,
): PropertySpec {
  return {
    name: `${subject.kind}/connection-loss`,
    kind: subject.kind,
    requirements: [subject.requirement],
    ...(subject.features ? { features: subject.features } : {}),
    weight: 0.2,
    applies: (env) =>
      env.target.faults
        ? true
        : 'the target cannot sever connections (no `faults` hook; an in-process adapter has no connection to lose)',
    property: (env) =>
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 }), async (count, delay) => {
        const faults = env.target.faults;
        if (!faults) return;
        expectVerifiableFaults(faults, [subject.requirement]);
        const fixture = await env.fixtures.open((registry) => [subject.define(registry, env.cls)]);
        try {
          const [surface] = fixture.surfaces;
          const context = (await subject.setup?.(fixture.rt, surface)) as C;
          const inflight = Array.from({ length: count }, (_, i) =>
            outcome(() => subject.attempt(fixture.rt, surface, i, context)),
          );
          for (let t = 0; t < delay; t++) await tick();
          const before = await connectionsBeforeFault(faults, fixture.adapter);
          await faults.dropConnections(fixture.adapter);
          const results: Outcome<unknown>[] = await Promise.all(inflight);
          const observedLoss = results.some((r) => !r.ok && r.code === 'STATEPROOF_BACKEND_UNAVAILABLE');
          for (const [i, r] of results.entries()) {
            const retryable = !r.ok && (r.error as { retryable?: unknown }).retryable === true;
            expectModel(
              r.ok || (r.code === 'STATEPROOF_BACKEND_UNAVAILABLE' && retryable),
              [subject.requirement],
              () =>
                `operation ${i} in flight when the connections dropped gave ${describeOutcome(r)}; only success or the retryable STATEPROOF_BACKEND_UNAVAILABLE are allowed`,
            );
          }
          const observer = await fixture.peer();
          for (const [i, r] of results.entries()) {
            const wrong = await subject.verify(observer, surface, i, r.ok);
            expectModel(
              wrong === undefined,
              [subject.requirement],
              () => `operation ${i} (${r.ok ? 'acknowledged' : 'failed'}) after the connections dropped: ${wrong}`,
            );
          }
          // The adapter must reconnect: a retried operation succeeds within a few attempts.
          let retried: Outcome<unknown> | undefined;
          for (let attempt = 0; attempt < 5 && !retried?.ok; attempt++) {
            retried = await outcome(() => subject.attempt(fixture.rt, surface, count + attempt, context));
            if (!retried.ok && retried.code !== 'STATEPROOF_BACKEND_UNAVAILABLE') break;
            if (!retried.ok) await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
          }
          expectModel(
            retried?.ok === true,
            [subject.requirement],
            () =>
              `after the connections dropped the adapter did not recover: the retried operation gave ${retried ? describeOutcome(retried) : 'nothing'}`,
          );
          await expectFaultInjected(faults, fixture.adapter, before, observedLoss, [subject.requirement]);
        } finally {
          await fixture.close();
        }
      }),
  };
}

/** Describes an unexpected observation for verify functions. */
export function unexpected(what: string, got: unknown, acknowledged: boolean): string {
  return `${what} is ${show(got)}, which is ${acknowledged ? 'not the acknowledged write' : 'neither the whole write nor nothing'}`;
}
