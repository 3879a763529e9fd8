import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordHandle, type RecordSurface } from '@stateproof/core';
import type { HistoryRecorder } from '../../linearizability/history-recorder.js';
import { recordCasModel, type RecordAnswer, type RecordCall } from '../../linearizability/models/record-cas-model.js';
import type { Outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { ConcurrencyTally, recordCall, runClientsLinearizable, yieldTurns } from '../common/concurrency-check.js';

/**
 * One step of a client: wait a few turns, then call. `*-if-seen` compare-and-set on the last version
 * the client saw; `recreate` deletes the key and at once creates it again with ifAbsent.
 */
interface Step {
  readonly pause: number;
  readonly key: string;
  readonly op: 'get' | 'put' | 'put-if-seen' | 'put-if-absent' | 'delete' | 'delete-if-seen' | 'recreate';
}

/**
 * Deep runs (`STATEPROOF_LONG=1`, as the repository's heavy tests read it) multiply this property's
 * runs: the races it looks for (an ifAbsent insert that waited on a row deleted meanwhile) are rare.
 */
const LONG_WEIGHT = process.env['STATEPROOF_LONG'] === '1' ? 5 : 1;
/** Clients share this many adapter instances at most: beyond it, several calls are in flight on one handle. */
const INSTANCES = 3;

const stepArb: fc.Arbitrary<Step> = fc.record({
  pause: fc.constantFrom(0, 0, 0, 1, 2),
  // Most steps on one key: the pressure that finds races between a delete and a re-creation.
  key: fc.constantFrom('a', 'a', 'a', 'b'),
  // Read-modify-writes dominate (lost updates), then deletes and re-creations (reused or older versions).
  op: fc.constantFrom<Step['op']>(
    'get',
    'put',
    'put-if-seen',
    'put-if-seen',
    'put-if-seen',
    'put-if-absent',
    'put-if-absent',
    'delete',
    'delete-if-seen',
    'recreate',
    'recreate',
  ),
});

function answer(o: Outcome<unknown>, ok: (value: never) => RecordAnswer): RecordAnswer {
  if (o.ok) return ok(o.value as never);
  if (o.code === 'STATEPROOF_VERSION_CONFLICT')
    return { kind: 'conflict', current: (o.error as { current?: number | null }).current ?? null };
  return { kind: 'error', code: o.code };
}

/** Runs one client's steps on its own runtime, recording every call. */
async function client(
  c: number,
  steps: readonly Step[],
  h: RecordHandle<string>,
  recorder: HistoryRecorder<RecordCall, RecordAnswer>,
): Promise<void> {
  const seen = new Map<string, number>(); // the last version this client saw per key, as a real read-modify-write loop keeps it
  const learn = (key: string, version: number | null | undefined) =>
    version !== undefined && version !== null && seen.set(key, version);
  for (const [i, step] of steps.entries()) {
    await yieldTurns(step.pause);
    const { key } = step;
    const value = `c${c}.${i}`;
    const ifVersion = seen.get(key) ?? 1;
    switch (step.op) {
      case 'get': {
        const o = await recordCall(
          recorder,
          c,
          { op: 'get', key },
          () => h.get(key),
          (o) =>
            answer(o, (r: { value: string; version: number } | null) =>
              r ? { kind: 'record', value: r.value, version: r.version } : { kind: 'none' },
            ),
        );
        if (o?.ok) learn(key, o.value?.version);
        break;
      }
      case 'put':
      case 'put-if-seen':
      case 'put-if-absent': {
        const cond = step.op === 'put-if-seen' ? { ifVersion } : step.op === 'put-if-absent' ? { ifAbsent: true } : {};
        const o = await recordCall(
          recorder,
          c,
          { op: 'put', key, value, ...cond },
          () => h.put(key, value, cond),
          (o) => answer(o, (r: { version: number }) => ({ kind: 'written', version: r.version })),
        );
        if (o) learn(key, o.ok ? o.value.version : (o.error as { current?: number | null }).current);
        break;
      }
      case 'recreate': {
        // No turn between the two calls: the ifAbsent races whatever the other clients do to the key.
        await recordCall(
          recorder,
          c,
          { op: 'delete', key },
          () => h.delete(key),
          (o) => answer(o, (existed: boolean) => ({ kind: 'deleted', existed })),
        );
        const o = await recordCall(
          recorder,
          c,
          { op: 'put', key, value, ifAbsent: true },
          () => h.put(key, value, { ifAbsent: true }),
          (o) => answer(o, (r: { version: number }) => ({ kind: 'written', version: r.version })),
        );
        if (o) learn(key, o.ok ? o.value.version : (o.error as { current?: number | null }).current);
        break;
      }
      case 'delete':
      case 'delete-if-seen': {
        const cond = step.op === 'delete-if-seen' ? { ifVersion } : {};
        const o = await recordCall(
          recorder,
          c,
          { op: 'delete', key, ...cond },
          () => h.delete(key, cond),
          (o) => answer(o, (existed: boolean) => ({ kind: 'deleted', existed })),
        );
        if (o && !o.ok) learn(key, (o.error as { current?: number | null }).current);
        break;
      }
    }
  }
}

/**
 * Two to six clients on up to three adapter instances over one namespace (other processes or
 * connection pools on the same backend; clients beyond three share an instance, so several calls
 * are in flight on one handle) run gets, puts, read-modify-write compare-and-sets, ifAbsent
 * creations, deletes and delete-then-recreate pairs, mostly on one key. The timed history must be
 * linearizable against the record model per key: no lost update, no double creation, conflicts
 * carrying the current version, versions strictly increasing in the linearization order (also
 * across a delete and a re-creation). `STATEPROOF_LONG=1` runs it five times as often.
 */
export const recordConcurrencyProperty: PropertySpec = {
  name: 'record/concurrency',
  kind: 'record',
  requirements: [
    'REC-001',
    'REC-003',
    'REC-004',
    'REC-005',
    'REC-006',
    'REC-007',
    'REC-008',
    'REC-009',
    'REC-011',
    'REC-012',
  ],
  concurrency: true,
  weight: LONG_WEIGHT,
  property: (env) => {
    const tally = new ConcurrencyTally(env);
    return fc.asyncProperty(
      fc.array(fc.array(stepArb, { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 6 }),
      async (plan) => {
        const fixture = await env.fixtures.open((registry) => [
          record('conformance.record-concurrency', {
            durability: env.cls,
            value: Type.String(),
            registry,
          }) as RecordSurface<string>,
        ]);
        try {
          const [surface] = fixture.surfaces;
          await runClientsLinearizable(
            fixture,
            plan,
            (c, steps, runtime, recorder: HistoryRecorder<RecordCall, RecordAnswer>) =>
              client(c, steps, runtime.use(surface), recorder),
            {
              model: recordCasModel,
              requirements: recordConcurrencyProperty.requirements,
              tally,
              instances: INSTANCES,
            },
          );
        } finally {
          await fixture.close();
        }
      },
    );
  },
};
