import { BackendIncompatibleError } from '@stateproof/core/adapter-kit';

/**
 * The refusal of a script that found, before its first write, a key of the namespace holding a type
 * it did not write there: what Redis's own WRONGTYPE says (see redis-errors.ts), raised before
 * anything was written instead of half-way through the script.
 */
export function foreignKeyError(what: string, key: string): BackendIncompatibleError {
  return new BackendIncompatibleError(
    `${what}: the key ${JSON.stringify(key)} holds data stateproof did not write; nothing was applied`,
    {
      hint: 'Another program writes into this namespace: give stateproof a namespace of its own.',
      details: { reply: 'WRONGTYPE', key },
    },
  );
}
