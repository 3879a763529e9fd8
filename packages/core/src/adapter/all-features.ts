import { KIND_FEATURES } from '@stateproof/spec';

/** Every optional feature of `kind`, claimed: for adapters that implement a kind in full. */
export function allFeatures<K extends keyof typeof KIND_FEATURES>(
  kind: K,
): Record<(typeof KIND_FEATURES)[K][number], boolean> {
  return Object.fromEntries(KIND_FEATURES[kind].map((f) => [f, true])) as Record<
    (typeof KIND_FEATURES)[K][number],
    boolean
  >;
}
