import { CLASSES, DURABILITY_CLASSES, type DurabilityClass } from '@stateproof/spec';

/**
 * The classes whose state must survive a restart of the process (the taxonomy's survivesProcessKill
 * = yes) and whose surfaces the kinds' reopen properties may write through their handles: not a
 * class with requirements of its own (a derived projection is written only by its projector, so
 * its class's properties check its restarts).
 */
export const RESTART_SAFE_CLASSES: readonly DurabilityClass[] = DURABILITY_CLASSES.filter(
  (c) => CLASSES[c].guarantees.survivesProcessKill === 'yes' && CLASSES[c].requirementPrefix === undefined,
);
