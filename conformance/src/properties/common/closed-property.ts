import fc from 'fast-check';
import type { AnySurface, Registry, Runtime } from '@stateproof/core';
import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { expectModel } from '../../models/model-mismatch.js';
import { outcome, describeOutcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** How one kind takes part in the closed property. */
export interface ClosedSubject<S extends AnySurface> {
  readonly kind: SurfaceKind;
  readonly requirement: RequirementId;
  define(registry: Registry, cls: DurabilityClass): S;
  /** Operations to try after close, by name; each gets a handle obtained before the close. */
  readonly operations: Record<string, (handle: ReturnType<Runtime['use']>) => Promise<unknown>>;
}

/** After the runtime closes, every operation of a handle fails with STATEPROOF_CLOSED. */
export function closedProperty<S extends AnySurface>(subject: ClosedSubject<S>): PropertySpec {
  const names = Object.keys(subject.operations);
  return {
    name: `${subject.kind}/closed`,
    kind: subject.kind,
    requirements: [subject.requirement],
    weight: 0.1,
    property: (env) =>
      fc.asyncProperty(fc.constantFrom(...names), async (name) => {
        const fixture = await env.fixtures.open((registry) => [subject.define(registry, env.cls)]);
        const handle = fixture.rt.use(fixture.surfaces[0] as S);
        await fixture.close();
        const got = await outcome(() => (subject.operations[name] as (h: unknown) => Promise<unknown>)(handle));
        expectModel(
          !got.ok && got.code === 'STATEPROOF_CLOSED',
          [subject.requirement],
          () => `${subject.kind} ${name} after close gave ${describeOutcome(got)}`,
        );
      }),
  };
}
