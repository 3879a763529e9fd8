import type { SurfaceKind } from '@stateproof/spec';
import type { RequirementId } from '../requirements/requirement-ids.js';

/** The requirements a store operation's success is governed by, given its arguments. */
type Governs = readonly RequirementId[] | ((args: readonly unknown[]) => readonly RequirementId[]);

const option = (args: readonly unknown[], index: number, name: string): unknown =>
  (args[index] as Record<string, unknown> | undefined)?.[name];

/**
 * For each store operation (spec/contract/<kind>.md), the requirements that say it must succeed on
 * valid input: an operation that throws what the property did not expect breaks them, not the
 * requirements of the property that happened to call it. A `put` that a backend refuses breaks
 * REC-002 (the value given must be stored byte for byte) and the rule of its condition.
 */
const OPERATION_REQUIREMENTS: { readonly [K in SurfaceKind]: Readonly<Record<string, Governs>> } = {
  record: {
    get: ['REC-001'],
    put: (args) => [
      'REC-002',
      option(args, 2, 'ifVersion') !== undefined ? 'REC-006' : option(args, 2, 'ifAbsent') ? 'REC-007' : 'REC-009',
    ],
    delete: (args) => [option(args, 1, 'ifVersion') !== undefined ? 'REC-012' : 'REC-011'],
    list: ['REC-013'],
  },
  log: {
    append: (args) => [Array.isArray(args[1]) && args[1].length > 1 ? 'LOG-004' : 'LOG-001'],
    read: ['LOG-005'],
    info: ['LOG-007'],
    getCursor: ['LOG-012'],
    commitCursor: ['LOG-013'],
    subscribe: ['LOG-016'],
  },
  claim: {
    acquire: ['CLM-001'],
    renew: ['CLM-006'],
    complete: ['CLM-008'],
    release: ['CLM-005'],
    abandon: ['CLM-009'],
    get: ['CLM-011'],
  },
  queue: {
    enqueue: ['QUE-001'],
    enqueueMany: ['QUE-003'],
    claim: ['QUE-004'],
    heartbeat: ['QUE-011'],
    complete: ['QUE-012'],
    fail: ['QUE-013'],
    cancel: ['QUE-018'],
    acknowledgeCancel: ['QUE-020'],
    reap: ['QUE-022'],
    get: ['QUE-026'],
    counters: ['QUE-027'],
  },
  dataspace: {
    openSession: ['DSP-001'],
    heartbeat: ['DSP-002'],
    closeSession: ['DSP-008'],
    assert: ['DSP-004'],
    retract: ['DSP-006'],
    get: ['DSP-012'],
    list: ['DSP-012'],
    reap: ['DSP-009'],
    subscribe: ['DSP-014'],
  },
  channel: {
    publish: ['CHN-001'],
    subscribe: ['CHN-001'],
  },
};

/** The requirements `kind`'s store operation `operation` must meet to succeed (empty for an operation the contract does not name). */
export function operationRequirements(
  kind: SurfaceKind,
  operation: string,
  args: readonly unknown[],
): readonly RequirementId[] {
  const governs = Object.hasOwn(OPERATION_REQUIREMENTS[kind], operation)
    ? OPERATION_REQUIREMENTS[kind][operation]
    : undefined;
  return governs === undefined ? [] : typeof governs === 'function' ? governs(args) : governs;
}
