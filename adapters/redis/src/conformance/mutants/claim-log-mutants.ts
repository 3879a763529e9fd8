import type { ClaimBinding, LogBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { CLAIM_ACQUIRE, CLAIM_COMPLETE, CLAIM_RENEW } from '../../scripts/claim-scripts.js';
import { LOG_APPEND } from '../../scripts/log-scripts.js';
import { RedisClaimStore } from '../../stores/redis-claim-store.js';
import { RedisLogStore } from '../../stores/redis-log-store.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisServerUnavailable } from '../redis-server.js';
import { mutantTarget } from './mutant-adapter.js';
import { patchScript } from './patch-script.js';

/**
 * The holder's writes check that the claim is held and unexpired but not whose token it is: a
 * holder whose lease was taken over completes (or renews) the new holder's claim, as a lock without
 * a fencing check lets a paused process do.
 */
class TokenNotComparedStore extends RedisClaimStore {
  constructor(ctx: RedisStoreContext) {
    super(ctx);
    const blind: readonly [string, string] = ["if c[1] == 'held' and n == token and", "if c[1] == 'held' and"];
    this.scripts = {
      ...this.scripts,
      renew: patchScript(CLAIM_RENEW, 'claim-renew-token-not-compared', blind),
      complete: patchScript(CLAIM_COMPLETE, 'claim-complete-token-not-compared', blind),
    };
  }
}

/**
 * A token per owner (`HINCRBY` of the owner's own counter), as BullMQ's `worker id + counter`
 * tokens are: unique, but not increasing per key, so a newer holder can carry a smaller token than
 * an older one and fencing by "the larger token wins" lets the stale holder through.
 */
class TokenPerOwnerStore extends RedisClaimStore {
  constructor(ctx: RedisStoreContext) {
    super(ctx);
    this.scripts = {
      ...this.scripts,
      acquire: patchScript(CLAIM_ACQUIRE, 'claim-acquire-token-per-owner', [
        'local token = (sp_num(c[3]) or 0) + 1',
        "local token = redis.call('HINCRBY', K[1] .. '\\31owners', A[1], 1)",
      ]),
    };
  }
}

/**
 * Age retention left to Redis's own key expiry: every append sets `PEXPIRE maxAgeMs` on the
 * stream and on its meta hash, so an idle log vanishes whole, its last sequence with it, and the next
 * append starts again at 1.
 */
class RetentionByKeyExpiryStore extends RedisLogStore {
  constructor(ctx: RedisStoreContext, binding: LogBinding) {
    super(ctx, binding);
    this.scripts = {
      ...this.scripts,
      append: patchScript(LOG_APPEND, 'log-append-retention-by-key-expiry', [
        "redis.call('PUBLISH', A[3], A[4])",
        "if sp_opt(A[2]) then redis.call('PEXPIRE', K[1], A[2]); redis.call('PEXPIRE', K[2], A[2]) end\nredis.call('PUBLISH', A[3], A[4])",
      ]),
    };
  }
}

const claimMutant = (name: string, Store: new (ctx: RedisStoreContext) => RedisClaimStore) =>
  mutantTarget(name, { claim: (ctx, _binding: ClaimBinding) => new Store(ctx) });

/** Mutants of the Redis claim and log stores. */
export const REDIS_CLAIM_LOG_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-claim-token-not-compared',
    kind: 'claim',
    bug: "renew and complete check that the claim is held and unexpired, not that the token is the holder's: a holder whose lease was taken over completes the new holder's claim",
    breaks: ['CLM-007'],
    properties: ['claim/model'],
    target: claimMutant('redis-claim-token-not-compared', TokenNotComparedStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-claim-token-per-owner',
    kind: 'claim',
    bug: "fencing tokens count per owner (as BullMQ's worker id + counter), not per key: a later holder can carry a smaller token than an earlier one",
    breaks: ['CLM-003'],
    properties: ['claim/model'],
    target: claimMutant('redis-claim-token-per-owner', TokenPerOwnerStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-log-retention-by-key-expiry',
    kind: 'log',
    bug: "leaves age retention to Redis's key expiry on the stream and its meta hash: an idle log vanishes whole and its sequences start again at 1",
    breaks: ['LOG-003', 'LOG-009'],
    properties: ['log/retention-tolerance', 'log/retention'],
    target: mutantTarget('redis-log-retention-by-key-expiry', {
      log: (ctx, binding) => new RetentionByKeyExpiryStore(ctx, binding),
    }),
    unavailable: () => redisServerUnavailable(),
  },
];
