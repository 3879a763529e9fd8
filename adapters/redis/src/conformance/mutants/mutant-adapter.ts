import type {
  ChannelBinding,
  ChannelStore,
  ClaimBinding,
  ClaimStore,
  DataspaceBinding,
  DataspaceStore,
  LogBinding,
  LogStore,
  QueueBinding,
  QueueStore,
  RecordBinding,
  RecordStore,
} from '@stateproof/core/adapter-kit';
import type { ConformanceTarget } from '@stateproof/conformance';
import { RedisAdapter } from '../../redis-adapter.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisTarget } from '../redis-target.js';
import { ownServerTarget } from './own-server-target.js';

/** The stores a mutant swaps for broken ones; the rest stay the real adapter's. */
export interface StoreSwaps {
  readonly record?: (ctx: RedisStoreContext, binding: RecordBinding) => RecordStore;
  readonly log?: (ctx: RedisStoreContext, binding: LogBinding) => LogStore;
  readonly claim?: (ctx: RedisStoreContext, binding: ClaimBinding) => ClaimStore;
  readonly queue?: (ctx: RedisStoreContext, binding: QueueBinding) => QueueStore;
  readonly dataspace?: (ctx: RedisStoreContext, binding: DataspaceBinding) => DataspaceStore;
  readonly channel?: (ctx: RedisStoreContext, binding: ChannelBinding) => ChannelStore;
}

/** A Redis adapter class with some stores swapped. */
export function adapterWith(swaps: StoreSwaps): typeof RedisAdapter {
  return class MutantRedisAdapter extends RedisAdapter {
    protected override recordStore(ctx: RedisStoreContext, binding: RecordBinding): RecordStore {
      return swaps.record ? swaps.record(ctx, binding) : super.recordStore(ctx, binding);
    }
    protected override logStore(ctx: RedisStoreContext, binding: LogBinding): LogStore {
      return swaps.log ? swaps.log(ctx, binding) : super.logStore(ctx, binding);
    }
    protected override claimStore(ctx: RedisStoreContext, binding: ClaimBinding): ClaimStore {
      return swaps.claim ? swaps.claim(ctx, binding) : super.claimStore(ctx, binding);
    }
    protected override queueStore(ctx: RedisStoreContext, binding: QueueBinding): QueueStore {
      return swaps.queue ? swaps.queue(ctx, binding) : super.queueStore(ctx, binding);
    }
    protected override dataspaceStore(ctx: RedisStoreContext, binding: DataspaceBinding): DataspaceStore {
      return swaps.dataspace ? swaps.dataspace(ctx, binding) : super.dataspaceStore(ctx, binding);
    }
    protected override channelStore(ctx: RedisStoreContext, binding: ChannelBinding): ChannelStore {
      return swaps.channel ? swaps.channel(ctx, binding) : super.channelStore(ctx, binding);
    }
  };
}

/**
 * The real target with some stores swapped, on a durable redis-server of its own (see
 * own-server-target.ts): everything else of the adapter and its target is the real one.
 */
export function mutantTarget(name: string, swaps: StoreSwaps): () => ConformanceTarget {
  return () =>
    ownServerTarget(`mutant:${name}`, (url) => ({
      ...redisTarget({ url, adapter: adapterWith(swaps) }),
      name: `mutant:${name}`,
    }));
}
