import fc from 'fast-check';
import type { DataspaceHandle } from '@stateproof/core';
import type { HistoryRecorder } from '../../linearizability/history-recorder.js';
import {
  dataspaceOwnershipModel,
  type DataspaceAnswer,
  type DataspaceCall,
} from '../../linearizability/models/dataspace-ownership-model.js';
import type { Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ConcurrencyTally, recordCall, runClientsLinearizable, yieldTurns } from '../common/concurrency-check.js';
import { LONG, defineDataspace } from './dataspace-surface.js';

/** One step of a client: wait a few turns, then assert, retract or read one of the shared ids. */
interface Step {
  readonly pause: number;
  readonly id: string;
  readonly op: 'assert' | 'retract' | 'get';
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pause: fc.constantFrom(0, 0, 0, 1, 2),
  id: fc.constantFrom('x', 'y'),
  // Asserts dominate: contention for ownership, and overwrites of one's own, is where races show.
  op: fc.constantFrom<Step['op']>('assert', 'assert', 'assert', 'retract', 'retract', 'get'),
});

function answer(o: Outcome<unknown>, ok: (value: never) => DataspaceAnswer): DataspaceAnswer {
  if (o.ok) return ok(o.value as never);
  return o.code === 'STATEPROOF_OWNERSHIP' ? { kind: 'ownership' } : { kind: 'error', code: o.code };
}

/** Runs one client's steps with a session of its own, on its own runtime, recording every call. */
async function client(
  c: number,
  steps: readonly Step[],
  h: DataspaceHandle<unknown>,
  recorder: HistoryRecorder<DataspaceCall, DataspaceAnswer>,
): Promise<void> {
  const session = await h.openSession({ owner: `client-${c}`, leaseMs: LONG });
  const revision = (r: { revision: number } | null): DataspaceAnswer =>
    r ? { kind: 'revision', revision: r.revision } : { kind: 'none' };
  for (const [i, step] of steps.entries()) {
    await yieldTurns(step.pause);
    const { id } = step;
    if (step.op === 'assert') {
      const value = `c${c}.${i}`;
      await recordCall(
        recorder,
        c,
        { op: 'assert', session: session.id, id, value },
        () => session.assert(id, value),
        (o) => answer(o, revision),
      );
    } else if (step.op === 'retract')
      await recordCall(
        recorder,
        c,
        { op: 'retract', session: session.id, id },
        () => session.retract(id),
        (o) => answer(o, revision),
      );
    else
      await recordCall(
        recorder,
        c,
        { op: 'get', id },
        () => h.get(id),
        (o) =>
          answer(o, (a: { value: unknown; session: string; revision: number } | null) =>
            a
              ? { kind: 'assertion', session: a.session, value: String(a.value), revision: a.revision }
              : { kind: 'none' },
          ),
      );
  }
}

/**
 * Two to four clients, each with a session of its own on its own runtime and adapter instance over
 * one namespace (another process or connection pool on the same backend), assert, overwrite,
 * retract and read two shared ids at once. The timed history must be linearizable against the
 * ownership model per id: never two owners, a foreign assertion refused and left as it was, only
 * the owner retracting, reads seeing the last change, revisions increasing.
 */
export const dataspaceConcurrencyProperty: PropertySpec = {
  name: 'dataspace/concurrency',
  kind: 'dataspace',
  requirements: ['DSP-004', 'DSP-005', 'DSP-006', 'DSP-011', 'DSP-012'],
  concurrency: true,
  property: (env) => {
    const tally = new ConcurrencyTally(env);
    return fc.asyncProperty(
      fc.array(fc.array(stepArb, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
      async (plan) => {
        const fixture = await env.fixtures.open((registry) => [
          defineDataspace(registry, env.cls, 'conformance.dataspace-concurrency'),
        ]);
        try {
          const [surface] = fixture.surfaces;
          await runClientsLinearizable(
            fixture,
            plan,
            (c, steps, runtime, recorder: HistoryRecorder<DataspaceCall, DataspaceAnswer>) =>
              client(c, steps, runtime.use(surface), recorder),
            { model: dataspaceOwnershipModel, requirements: dataspaceConcurrencyProperty.requirements, tally },
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
