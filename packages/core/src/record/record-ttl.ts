import type { RecordPutOptions } from '../adapter/record-store.js';
import type { RecordBinding } from '../adapter/surface-binding.js';

/** The TTL of a record write: its own `ttlMs`, else the surface's default, else none (undefined). */
export function recordTtl(options: RecordPutOptions, binding: RecordBinding): number | undefined {
  return options.ttlMs ?? binding.ttlMs;
}
