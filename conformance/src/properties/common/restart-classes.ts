import { CLASSES, DURABILITY_CLASSES, type DurabilityClass } from '@stateproof/spec';

/** The classes whose state must survive a restart of the process (the taxonomy's survivesProcessKill = yes). */
export const RESTART_SAFE_CLASSES: readonly DurabilityClass[] = DURABILITY_CLASSES.filter(
  (c) => CLASSES[c].guarantees.survivesProcessKill === 'yes',
);
