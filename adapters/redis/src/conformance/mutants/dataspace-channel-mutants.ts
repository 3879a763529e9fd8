import type { ChannelBinding, DataspaceBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { DATASPACE_HEARTBEAT, DATASPACE_REAP, DATASPACE_RETRACT } from '../../scripts/dataspace-scripts.js';
import { RedisChannelStore, type ChannelListener } from '../../stores/redis-channel-store.js';
import { RedisDataspaceStore } from '../../stores/redis-dataspace-store.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisServerUnavailable } from '../redis-server.js';
import { mutantTarget } from './mutant-adapter.js';
import { patchScript } from './patch-script.js';

/** The retention every mutant's dataspace store keeps (the adapter's default). */
const CHANGE_RETENTION = 10_000;

/** Retract looks for the id's owner but goes ahead when it is another live session. */
class NonOwnerRetractStore extends RedisDataspaceStore {
  constructor(ctx: RedisStoreContext, binding: DataspaceBinding) {
    super(ctx, CHANGE_RETENTION, binding.retention);
    this.scripts = {
      ...this.scripts,
      retract: patchScript(DATASPACE_RETRACT, 'dataspace-retract-non-owner', [
        'if taken then return taken end',
        'if taken then exists = true end',
      ]),
    };
  }
}

/**
 * The expiry index is taken for the truth: a heartbeat moves the lease end in the session's hash
 * but not in the index, and the reaper retracts whatever the index says is due without judging the
 * session again, so a session that keeps heartbeating loses its assertions one lease after it opened.
 */
class ReaperTrustsStaleIndexStore extends RedisDataspaceStore {
  constructor(ctx: RedisStoreContext, binding: DataspaceBinding) {
    super(ctx, CHANGE_RETENTION, binding.retention);
    this.scripts = {
      ...this.scripts,
      heartbeat: patchScript(DATASPACE_HEARTBEAT, 'dataspace-heartbeat-index-unmoved', [
        "redis.call('ZADD', EXP, e, self.id)",
        '',
      ]),
      reap: patchScript(DATASPACE_REAP, 'dataspace-reap-by-index', [
        'if s and expired(s) then',
        "if s and s.st == 'open' then",
      ]),
    };
  }
}

/** After the pub/sub connection came back, subscribers are not told that messages went by meanwhile. */
class GapUnannouncedStore extends RedisChannelStore {
  protected override announceGap(_l: ChannelListener): void {}
}

const dataspaceMutant = (
  name: string,
  Store: new (ctx: RedisStoreContext, binding: DataspaceBinding) => RedisDataspaceStore,
) => mutantTarget(name, { dataspace: (ctx, binding: DataspaceBinding) => new Store(ctx, binding) });

/** Mutants of the Redis dataspace and channel stores. */
export const REDIS_DATASPACE_CHANNEL_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-dataspace-non-owner-retract',
    kind: 'dataspace',
    bug: "retract finds the id's owner but goes ahead when it is another live session",
    breaks: ['DSP-005'],
    properties: ['dataspace/model'],
    target: dataspaceMutant('redis-dataspace-non-owner-retract', NonOwnerRetractStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-dataspace-reaper-trusts-stale-index',
    kind: 'dataspace',
    bug: 'a heartbeat extends the lease in the session but not in the expiry index, and the reaper retracts by the index without judging the session again',
    breaks: ['DSP-002'],
    target: dataspaceMutant('redis-dataspace-reaper-trusts-stale-index', ReaperTrustsStaleIndexStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-channel-gap-unannounced',
    kind: 'channel',
    bug: 'after the pub/sub connection came back, subscribers are not told that what was published meanwhile is gone',
    breaks: ['CHN-014'],
    properties: ['channel/connection-loss'],
    target: mutantTarget('redis-channel-gap-unannounced', {
      channel: (ctx, _binding: ChannelBinding) => new GapUnannouncedStore(ctx),
    }),
    unavailable: () => redisServerUnavailable(),
  },
];
