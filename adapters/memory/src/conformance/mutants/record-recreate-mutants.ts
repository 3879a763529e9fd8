import {
  casConflict,
  recordTtl,
  type RecordBinding,
  type RecordPutOptions,
  type RecordStore,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { MemoryRecordStore, newRecordSpace } from '../../memory-record-store.js';
import { mutantTarget } from './mutant-target.js';

/**
 * put ifAbsent takes its version when it forms the record, then, finding the key live, waits a
 * moment for it (as an insert waits on a conflicting row) and checks again: when another client
 * updated the key higher and deleted it meanwhile, the insert goes ahead with its older version.
 * The shape of the Postgres race of issue 12 (REC-004, REC-005), visible only when a delete and a
 * re-creation race other writes on one key.
 */
class VersionBeforeWait extends MemoryRecordStore {
  override async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    if (!options.ifAbsent) return super.put(key, value, options);
    const version = this.nextVersion(key);
    if (this.live(key)) await new Promise<void>((resolve) => setImmediate(resolve));
    const current = this.live(key);
    if (current) throw casConflict(key, options, current.version);
    const ttl = recordTtl(options, this.binding);
    const expiresAt = ttl === undefined ? null : this.clock.now() + ttl;
    this.space.records.set(key, { value, version, expiresAt });
    return { version, expiresAt };
  }
}

class VersionBeforeWaitAdapter extends MemoryAdapter {
  override async openRecord(binding: RecordBinding): Promise<RecordStore> {
    this.lifecycle.assertOpen();
    return new VersionBeforeWait(this.ns.space('record', binding.space, newRecordSpace), binding, this.clock);
  }
}

/** Record races between a delete and a re-creation, caught by record/concurrency. */
export const RECORD_RECREATE_MUTANTS: readonly Mutant[] = [
  {
    name: 'record-if-absent-version-before-wait',
    kind: 'record',
    bug: 'put ifAbsent takes its version before it waits on a live record; when that record is updated and deleted meanwhile, it inserts the older version',
    breaks: ['REC-004', 'REC-005'],
    target: () => mutantTarget('record-if-absent-version-before-wait', VersionBeforeWaitAdapter),
  },
];
