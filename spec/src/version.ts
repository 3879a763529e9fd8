/** Version of the stateproof specification (taxonomy, contract, schemas). */
export const SPEC_VERSION = '0.1.0';
