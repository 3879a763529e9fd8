import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { createRegistry, log, record, type Runtime } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { outcome } from '../../models/outcome.js';
import type { PropertyEnv, PropertySpec } from '../../environment/property-spec.js';
import {
  appendSource,
  defineBoth,
  defineProjection,
  defineSource,
  foldUpTo,
  projectorOf,
  readProjection,
  sourceApplies,
  type ProjectionKind,
  type ProjectionSurfaces,
} from './projection-surface.js';

type Op = { readonly op: 'append'; readonly count: number } | { readonly op: 'catchUp' } | { readonly op: 'lag' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('append' as const), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'catchUp' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'lag' as const }) },
);

/**
 * Random appends to the source, catch-ups and lag reads against the model: after each catch-up the
 * projection equals the fold of the source up to the cursor, which is the source's head, and the
 * run reports exactly the entries it applied; `lag` reports the committed cursor, the head and
 * their difference as they are (PRJ-006). Each run also checks that a projection without a proper
 * source is refused, at definition and by `runtime.project` (PRJ-001).
 */
export function projectionModelProperty(kind: ProjectionKind): PropertySpec {
  return {
    name: `${kind}/projection-model`,
    kind,
    requirements: ['PRJ-001', 'PRJ-006', 'PRJ-003'],
    classes: ['derived-projection'],
    family: 'model',
    weight: 0.4,
    applies: sourceApplies,
    property: (env) =>
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(opArb, { minLength: 1, maxLength: 14 }),
        async (batch, ops) => {
          await expectDefinitionRefusals(env, kind);
          const fixture = await env.fixtures.open((registry) => {
            const [source, projection] = defineBoth(registry, env, kind);
            // Another authoritative log: a projector of the projection must not fold it (PRJ-001).
            return [source, projection, defineSource(registry, env, 'prj.other')] as const;
          });
          try {
            const [source, projection, other] = fixture.surfaces;
            const surfaces: ProjectionSurfaces = [source, projection];
            await expectProjectRefusal(fixture.rt, surfaces, other);
            const projector = projectorOf(fixture.rt, surfaces, batch);
            const seqs: number[] = [];
            let cursor = 0;
            for (const o of ops) {
              if (o.op === 'append') {
                seqs.push(...(await appendSource(fixture.rt, source, o.count)));
              } else if (o.op === 'catchUp') {
                const head = seqs.at(-1) ?? 0;
                const progress = await projector.catchUp();
                expectModel(
                  progress.cursor === head && progress.applied === head - cursor,
                  ['PRJ-003'],
                  () =>
                    `catchUp from cursor ${cursor} to head ${head} (batch ${batch}) reported ${show(progress)}; expected { applied: ${head - cursor}, cursor: ${head} }`,
                );
                cursor = head;
                const got = await readProjection(fixture.rt, surfaces);
                const want = foldUpTo(kind, seqs, cursor);
                expectModel(
                  show(got) === show(want),
                  ['PRJ-003'],
                  () =>
                    `after catchUp to ${cursor} (batch ${batch}) the projection reads ${show(got)}; the fold of the source up to it is ${show(want)}`,
                );
              } else {
                const head = seqs.at(-1) ?? 0;
                const got = await projector.lag();
                const want = { cursor, head, lag: head - cursor };
                expectModel(
                  show(got) === show(want),
                  ['PRJ-006'],
                  () => `lag() reported ${show(got)}; the committed cursor, head and lag are ${show(want)}`,
                );
              }
            }
          } finally {
            await fixture.close();
          }
        },
      ),
  };
}

/**
 * PRJ-001 at definition: a derived projection without a source, or whose source is a telemetry or
 * an ephemeral log, fails with STATEPROOF_INVALID_OPTIONS. A fresh registry, since nothing of it
 * reaches a backend.
 */
async function expectDefinitionRefusals(env: PropertyEnv, kind: ProjectionKind): Promise<void> {
  const registry = createRegistry();
  const telemetry = log('prj.telemetry', {
    durability: 'telemetry',
    retention: { maxEntries: 10 },
    value: Type.Integer(),
    registry,
  });
  const ephemeral = log('prj.ephemeral', { durability: 'ephemeral', value: Type.Integer(), registry });
  const cases: Array<[string, () => unknown]> = [
    [
      'no source',
      () =>
        kind === 'record'
          ? record('prj.orphan', { durability: 'derived-projection', value: Type.Integer(), registry })
          : log('prj.orphan', { durability: 'derived-projection', value: Type.Integer(), registry }),
    ],
    ['a telemetry source', () => defineProjection(registry, env, kind, telemetry as never, 'prj.of-telemetry')],
    ['an ephemeral source', () => defineProjection(registry, env, kind, ephemeral as never, 'prj.of-ephemeral')],
  ];
  for (const [what, define] of cases) {
    const o = await outcome(async () => define());
    expectModel(
      !o.ok && o.code === 'STATEPROOF_INVALID_OPTIONS',
      ['PRJ-001'],
      () =>
        `defining a ${kind} derived projection with ${what} ${o.ok ? 'succeeded' : `failed with ${o.code}`}; STATEPROOF_INVALID_OPTIONS was expected`,
    );
  }
}

/** PRJ-001 at `runtime.project`: a source other than the one the projection names is refused. */
async function expectProjectRefusal(
  rt: Runtime,
  [, projection]: ProjectionSurfaces,
  other: ProjectionSurfaces[0],
): Promise<void> {
  const o = await outcome(async () =>
    rt.project(projection as never, { source: other, stream: 'src', project: () => [] }),
  );
  expectModel(
    !o.ok && o.code === 'STATEPROOF_INVALID_OPTIONS',
    ['PRJ-001'],
    () =>
      `runtime.project of "${projection.id}" (source "${String(projection.definition.source)}") from "${other.id}" ${o.ok ? 'succeeded' : `failed with ${o.code}`}; STATEPROOF_INVALID_OPTIONS was expected`,
  );
}

/** projection-model for record projections. */
export const recordProjectionModelProperty: PropertySpec = projectionModelProperty('record');

/** projection-model for log projections. */
export const logProjectionModelProperty: PropertySpec = projectionModelProperty('log');
