import { classAllowsKind } from '@stateproof/spec';
import type { PropertyEnv, PropertySpec } from '../environment/property-spec.js';

/** The end of the reason a kind's property gives for not running on a class checked by its own properties. */
const CLASS_OWNED = "surfaces are checked by the properties of their class (spec/contract/classes.md), not the kind's";

/**
 * Whether a skip reason only says that a class with properties of its own is not checked by the
 * kind's property: beside any other reason it says nothing a reader needs.
 */
export function isClassOwnedSkip(reason: string): boolean {
  return reason.endsWith(CLASS_OWNED);
}

/** Why `spec` does not run in `env`, or undefined when it does. */
export function notApplicable(spec: PropertySpec, env: PropertyEnv): string | undefined {
  const support = env.capabilities.kinds[spec.kind];
  if (!support) return `the adapter does not support ${spec.kind}`;
  if (!classAllowsKind(env.cls, spec.kind)) return `${env.cls} does not allow ${spec.kind}`;
  if (spec.classes && !spec.classes.includes(env.cls)) return `applies to ${spec.classes.join(', ')}, not ${env.cls}`;
  // A projection is written only by its projector and telemetry only emits: the kind's own
  // properties, which write through the handles, are for the authoritative classes; these two
  // classes are checked by the properties of spec/contract/classes.md, which name them.
  if (!spec.classes && (env.cls === 'derived-projection' || env.cls === 'telemetry'))
    return `${env.cls} ${CLASS_OWNED}`;
  const features = support.features as Record<string, boolean | undefined>;
  const missing = (spec.features ?? []).filter((f) => features[f] !== true);
  if (missing.length > 0) return `the adapter does not claim ${missing.map((f) => `"${f}"`).join(', ')}`;
  const claimed = (spec.unclaimed ?? []).filter((f) => features[f] === true);
  if (claimed.length > 0) return `checks that an unclaimed ${claimed.join(', ')} is refused, but the adapter claims it`;
  if (spec.exactTime && !env.exactTime)
    return 'needs an injectable clock (a tolerance-based variant covers server clocks)';
  const applies = spec.applies?.(env);
  return applies === undefined || applies === true ? undefined : applies;
}
