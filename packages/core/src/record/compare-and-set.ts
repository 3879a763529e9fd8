import type { RecordPutOptions } from '../adapter/record-store.js';
import { VersionConflictError } from '../errors/outcome-errors.js';

/** The compare-and-set conditions of a write. */
export type CasCondition = Pick<RecordPutOptions, 'ifVersion' | 'ifAbsent'>;

/** Whether the conditions hold against the live record's version (null when there is no live record). */
export function casHolds(current: number | null, condition: CasCondition): boolean {
  if (condition.ifAbsent && current !== null) return false;
  if (condition.ifVersion !== undefined && current !== condition.ifVersion) return false;
  return true;
}

/** The conflict a write of `key` under `condition` reports when it does not hold (the current version, or null). */
export function casConflict(key: string, condition: CasCondition, current: number | null): VersionConflictError {
  return new VersionConflictError(key, condition.ifAbsent ? 'absent' : (condition.ifVersion as number), current);
}
