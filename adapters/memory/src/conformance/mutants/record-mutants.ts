import { MemoryRecordStore, newRecordSpace, type RecordSpace } from '../../memory-record-store.js';
import type { RecordListOptions, RecordEntry, RecordStore, RecordBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget } from './mutant-target.js';

type StoreClass = new (...args: ConstructorParameters<typeof MemoryRecordStore>) => MemoryRecordStore;

function withRecordStore(Store: StoreClass) {
  return class extends MemoryAdapter {
    override async openRecord(binding: RecordBinding): Promise<RecordStore> {
      this.lifecycle.assertOpen();
      return new Store(this.ns.space('record', binding.space, newRecordSpace), binding, this.clock);
    }
  };
}

/** Compare-and-set conditions are ignored: every write goes through. */
class IgnoresCas extends MemoryRecordStore {
  protected override casHolds(): boolean {
    return true;
  }
}

/** Versions count per key from the live record, so a delete and re-create starts over. */
class VersionPerKey extends MemoryRecordStore {
  protected override nextVersion(key: string): number {
    return (this.space.records.get(key)?.version ?? 0) + 1;
  }
}

/** Expiry is never checked: expired records stay visible. */
class IgnoresTtl extends MemoryRecordStore {
  protected override live(key: string) {
    return this.space.records.get(key);
  }
}

/** Keys are sorted with JavaScript's default UTF-16 comparison instead of UTF-8 bytes. */
class Utf16Order extends MemoryRecordStore {
  override async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const space: RecordSpace = this.space;
    const keys = [...space.records.keys()]
      .filter((k) => k.startsWith(options.prefix) && (options.after === undefined || k > options.after) && this.live(k))
      .sort();
    const page = keys.slice(0, options.limit);
    return { entries: page.map((key) => ({ key, ...space.records.get(key)! })), more: keys.length > options.limit };
  }
}

/**
 * The prefix goes into a SQL LIKE pattern unescaped (`key LIKE prefix || '%'`), so `%` and `_` in a
 * prefix match any run or any one character.
 */
class LikeWildcardPrefix extends MemoryRecordStore {
  override async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const pattern = new RegExp(
      `^${[...options.prefix].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}`,
      'su',
    );
    const all = await super.list({
      prefix: '',
      limit: 1_000_000,
      ...(options.after === undefined ? {} : { after: options.after }),
    });
    const entries = all.entries.filter((e) => pattern.test(e.key));
    return { entries: entries.slice(0, options.limit), more: entries.length > options.limit };
  }
}

/** The record mutants. */
export const RECORD_MUTANTS: readonly Mutant[] = [
  {
    name: 'record-ignores-cas',
    kind: 'record',
    bug: 'ifVersion and ifAbsent are ignored; every write succeeds',
    breaks: ['REC-006', 'REC-007'],
    target: () => mutantTarget('record-ignores-cas', withRecordStore(IgnoresCas)),
  },
  {
    name: 'record-reuses-versions-after-delete',
    kind: 'record',
    bug: 'versions count per key and restart at 1 after a delete',
    breaks: ['REC-005'],
    target: () => mutantTarget('record-reuses-versions-after-delete', withRecordStore(VersionPerKey)),
  },
  {
    name: 'record-ignores-ttl',
    kind: 'record',
    bug: 'expired records stay visible',
    breaks: ['REC-018'],
    target: () => mutantTarget('record-ignores-ttl', withRecordStore(IgnoresTtl)),
  },
  {
    name: 'record-list-prefix-as-like-pattern',
    kind: 'record',
    bug: 'list matches the prefix with an unescaped SQL LIKE pattern, so % and _ are wildcards',
    breaks: ['REC-013', 'REC-029'],
    target: () => mutantTarget('record-list-prefix-as-like-pattern', withRecordStore(LikeWildcardPrefix)),
  },
  {
    name: 'record-utf16-key-order',
    kind: 'record',
    bug: 'list sorts keys by UTF-16 code units, not UTF-8 bytes',
    breaks: ['REC-014'],
    target: () => mutantTarget('record-utf16-key-order', withRecordStore(Utf16Order)),
  },
];
