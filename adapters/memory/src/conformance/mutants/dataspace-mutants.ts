import { MemoryDataspaceStore, newDataspaceSpace } from '../../memory-dataspace-store.js';
import {
  createEventBuffer,
  NotFoundError,
  type DataspaceEvent,
  type DataspaceFilter,
  type DataspaceStore,
  type Subscription,
  type DataspaceBinding,
  filterMatcher,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget, type MutantAdapterClass } from './mutant-target.js';

type StoreClass = new (...args: ConstructorParameters<typeof MemoryDataspaceStore>) => MemoryDataspaceStore;

/** The memory adapter with its dataspace store replaced by `Store`. */
export function withDataspaceStore(Store: StoreClass): MutantAdapterClass {
  return class extends MemoryAdapter {
    override async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
      this.lifecycle.assertOpen();
      return new Store(
        this.ns.space('dataspace', binding.space, newDataspaceSpace),
        this.ns,
        this.clock,
        this.lifecycle,
        binding.retention,
      );
    }
  };
}

/** retract() removes whatever is asserted under the id, whoever owns it. */
class NonOwnerRetract extends MemoryDataspaceStore {
  override async retract(session: string, id: string): Promise<{ revision: number } | null> {
    this.lifecycle.assertOpen();
    const s = this.live(session);
    const a = this.space.assertions.get(id);
    if (!a) return null;
    const owner = this.space.sessions.get(a.session) ?? s;
    return { revision: this.remove(id, owner, 'retracted') };
  }
}

/** Closing a session marks it closed but leaves its assertions in place. */
class CloseKeepsAssertions extends MemoryDataspaceStore {
  override async closeSession(session: string): Promise<{ retracted: number }> {
    this.lifecycle.assertOpen();
    const s = this.space.sessions.get(session);
    if (!s) throw new NotFoundError(`session ${session}`);
    s.state = 'closed';
    return { retracted: s.ids.size };
  }
}

/** The snapshot is taken, then the subscriber is attached a moment later: a change in between is lost. */
class SnapshotGap extends MemoryDataspaceStore {
  override async subscribe(
    filter: DataspaceFilter,
    options: { readonly bufferSize?: number } = {},
  ): Promise<Subscription<DataspaceEvent>> {
    this.lifecycle.assertOpen();
    const matches = filterMatcher(filter);
    const { subscription, sink } = createEventBuffer<DataspaceEvent>({
      bufferSize: Math.max(2, options.bufferSize ?? 1024),
      onClose: () => void this.space.subscribers.delete(subscriber),
    });
    const subscriber = { filter, matches, sink };
    sink.push(this.snapshot(filter, matches));
    await new Promise((resolve) => setImmediate(resolve));
    this.space.subscribers.add(subscriber);
    return subscription;
  }
}

/** Leases are never enforced: the reaper finds nothing, and dead owners' assertions stay. */
class NeverExpires extends MemoryDataspaceStore {
  protected override expired(): boolean {
    return false;
  }
}

/** The dataspace mutants. */
export const DATASPACE_MUTANTS: readonly Mutant[] = [
  {
    name: 'dataspace-non-owner-retract-allowed',
    kind: 'dataspace',
    bug: 'a session can retract an assertion another session owns',
    breaks: ['DSP-005'],
    target: () => mutantTarget('dataspace-non-owner-retract-allowed', withDataspaceStore(NonOwnerRetract)),
  },
  {
    name: 'dataspace-closed-session-not-retracted',
    kind: 'dataspace',
    bug: 'closing a session leaves its assertions behind',
    breaks: ['DSP-008'],
    target: () => mutantTarget('dataspace-closed-session-not-retracted', withDataspaceStore(CloseKeepsAssertions)),
  },
  {
    name: 'dataspace-snapshot-stream-gap',
    kind: 'dataspace',
    bug: 'a change made between the snapshot and the start of the stream is never delivered',
    breaks: ['DSP-014'],
    target: () => mutantTarget('dataspace-snapshot-stream-gap', withDataspaceStore(SnapshotGap)),
  },
  {
    name: 'dataspace-expired-owner-not-retracted',
    kind: 'dataspace',
    bug: "a dead owner's lease is never enforced, so its assertions live forever",
    breaks: ['DSP-009'],
    target: () => mutantTarget('dataspace-expired-owner-not-retracted', withDataspaceStore(NeverExpires)),
  },
];
