/**
 * How the runtime treats contract violations: `off` allows them, `warn` (the default) logs each
 * once and proceeds, `enforce` refuses the startup or the operation. `enforce` is opt-in, never a default.
 */
export type Mode = 'off' | 'warn' | 'enforce';

/** Every mode. */
export const MODES: readonly Mode[] = ['off', 'warn', 'enforce'];

/** The default mode. */
export const DEFAULT_MODE: Mode = 'warn';
