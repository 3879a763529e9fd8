import fc from 'fast-check';
import type { AnySurface, Registry, Runtime } from '@stateproof/core';
import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import { expectModel, show } from '../../models/model-mismatch.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import { trickyKeyArb } from '../arbitraries.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** How one kind takes part in the isolation property. */
export interface IsolationSubject<S extends AnySurface> {
  readonly kind: SurfaceKind;
  readonly requirement: RequirementId;
  define(registry: Registry, cls: DurabilityClass, id: string): S;
  /** Writes something under `key`. */
  write(rt: Runtime, surface: S, key: string): Promise<void>;
  /** Whether something is visible under `key`. */
  visible(rt: Runtime, surface: S, key: string): Promise<boolean>;
}

/**
 * Keys with quotes, wildcards, separators and astral characters stay in their surface and
 * namespace: another surface, and the same surface in another namespace, see nothing of them.
 */
export function isolationProperty<S extends AnySurface>(subject: IsolationSubject<S>): PropertySpec {
  return {
    name: `${subject.kind}/isolation`,
    kind: subject.kind,
    requirements: [subject.requirement],
    weight: 0.3,
    property: (env) =>
      fc.asyncProperty(fc.uniqueArray(trickyKeyArb, { minLength: 1, maxLength: 6 }), async (keys) => {
        const define = (registry: Registry) =>
          [
            subject.define(registry, env.cls, 'conformance.iso.a'),
            subject.define(registry, env.cls, 'conformance.iso.b'),
          ] as const;
        const one = await env.fixtures.open(define);
        const two = await env.fixtures.open(define);
        try {
          for (const k of keys) await subject.write(one.rt, one.surfaces[0], k);
          for (const k of keys) {
            expectModel(
              await subject.visible(one.rt, one.surfaces[0], k),
              [subject.requirement],
              () => `${show(k)} is not visible where it was written`,
            );
            expectModel(
              !(await subject.visible(one.rt, one.surfaces[1], k)),
              [subject.requirement],
              () => `${show(k)} written to one surface is visible in another`,
            );
            expectModel(
              !(await subject.visible(two.rt, two.surfaces[0], k)),
              [subject.requirement],
              () => `${show(k)} written in one namespace is visible in another`,
            );
          }
        } finally {
          await one.close();
          await two.close();
        }
      }),
  };
}
