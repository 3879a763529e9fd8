import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel } from '../sequential-model.js';
import { defaultEqual } from '../state-identity.js';

/** A call on a keyed register: read it, write it, or compare-and-set it. */
export type RegisterInput<V> =
  | {
      /** Read. */
      readonly op: 'read';
      /** The register. */
      readonly key: string;
    }
  | {
      /** Write. */
      readonly op: 'write';
      /** The register. */
      readonly key: string;
      /** The value. */
      readonly value: V;
    }
  | {
      /** Compare-and-set. */
      readonly op: 'cas';
      /** The register. */
      readonly key: string;
      /** The value it must hold. */
      readonly expect: V;
      /** The value to write. */
      readonly value: V;
    };

/** A register's answer: the value read, a write's acknowledgement, or whether a compare-and-set swapped. */
export type RegisterOutput<V> =
  | {
      /** The value a read returned. */
      readonly value: V;
    }
  | {
      /** A write was acknowledged. */
      readonly ok: true;
    }
  | {
      /** Whether a compare-and-set swapped. */
      readonly swapped: boolean;
    };

/**
 * The textbook register (and compare-and-set register), one per key, all starting at `initial`:
 * a read returns the last value written; `cas` writes only when the register holds `expect`.
 * The state is the register's value; histories are partitioned per key.
 */
export function registerModel<V>(initial: V): SequentialModel<V, RegisterInput<V>, RegisterOutput<V>> {
  const show = (v: unknown) => (v === UNKNOWN ? '?' : JSON.stringify(v));
  return {
    init: () => initial,
    step(state, input, output: RegisterOutput<V> | Unknown) {
      switch (input.op) {
        case 'read':
          if (output === UNKNOWN) return { ok: true, next: state };
          return 'value' in output && defaultEqual(output.value, state)
            ? { ok: true, next: state }
            : {
                ok: false,
                why: () =>
                  `read ${show('value' in output ? output.value : output)} but the register holds ${show(state)}`,
              };
        case 'write':
          return { ok: true, next: input.value };
        case 'cas': {
          const holds = defaultEqual(state, input.expect);
          if (output === UNKNOWN) return { ok: true, next: holds ? input.value : state };
          const swapped = 'swapped' in output && output.swapped;
          if (swapped !== holds)
            return {
              ok: false,
              why: () => `cas ${swapped ? 'swapped' : 'failed'} but the register holds ${show(state)}`,
            };
          return { ok: true, next: holds ? input.value : state };
        }
      }
    },
    partition: partitionBy((op) => op.input.key),
    describeOperation(input, output) {
      const out =
        output === UNKNOWN
          ? '?'
          : 'value' in output
            ? show(output.value)
            : 'swapped' in output
              ? String(output.swapped)
              : 'ok';
      switch (input.op) {
        case 'read':
          return `read(${input.key}) -> ${out}`;
        case 'write':
          return `write(${input.key}, ${show(input.value)}) -> ${out}`;
        case 'cas':
          return `cas(${input.key}, ${show(input.expect)} => ${show(input.value)}) -> ${out}`;
      }
    },
    describeState: (s) => show(s),
  };
}
