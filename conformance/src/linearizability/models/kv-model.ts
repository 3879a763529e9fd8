import { UNKNOWN, type Unknown } from '../operation.js';
import { partitionBy, type SequentialModel } from '../sequential-model.js';

/** A call on a key-value store of strings: read a key, overwrite it, or append to it. */
export type KvInput =
  | {
      /** Read the key. */
      readonly op: 'get';
      /** The key. */
      readonly key: string;
    }
  | {
      /** Replace the key's value, or append to it. */
      readonly op: 'put' | 'append';
      /** The key. */
      readonly key: string;
      /** The string written or appended. */
      readonly value: string;
    };

/** The value a `get` read (`put` and `append` answer with the empty string, or nothing). */
export interface KvOutput {
  /** The key's value as read. */
  readonly value: string;
}

/**
 * The key-value model of Porcupine's examples (and etcd's tests): one string per key, every key
 * starting at `initial` (default the empty string); `get` returns the value, `put` replaces it,
 * `append` concatenates to it. The state of a partition is its key's value; histories are
 * partitioned per key.
 */
export function kvModel(initial = ''): SequentialModel<string, KvInput, KvOutput> {
  return {
    init: () => initial,
    step(state, input, output: KvOutput | Unknown) {
      switch (input.op) {
        case 'get':
          if (output === UNKNOWN || output.value === state) return { ok: true, next: state };
          return {
            ok: false,
            why: () => `get read ${JSON.stringify(output.value)} but the key holds ${JSON.stringify(state)}`,
          };
        case 'put':
          return { ok: true, next: input.value };
        case 'append':
          return { ok: true, next: state + input.value };
      }
    },
    equal: (a, b) => a === b,
    partition: partitionBy((op) => op.input.key),
    describeOperation(input, output) {
      const out = output === UNKNOWN ? '?' : JSON.stringify(output.value);
      return input.op === 'get'
        ? `get(${input.key}) -> ${out}`
        : `${input.op}(${input.key}, ${JSON.stringify(input.value)})${output === UNKNOWN ? ' -> ?' : ''}`;
    },
    describeState: (s) => JSON.stringify(s),
  };
}
