import {
  compareKeys,
  type RecordBinding,
  type RecordEntry,
  type RecordListOptions,
  type RecordStore,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { writeScript } from '../../client/lua-script.js';
import { RECORD_PUT } from '../../scripts/record-scripts.js';
import { patchScript } from './patch-script.js';
import { RedisRecordStore } from '../../stores/redis-record-store.js';
import type { RedisStoreContext } from '../../stores/redis-store-context.js';
import { redisServerUnavailable } from '../redis-server.js';
import { mutantTarget } from './mutant-adapter.js';

/**
 * Lists by SCAN over the record hashes with the prefix pasted into the MATCH pattern, then sorts:
 * the way a first Redis implementation often lists. `*`, `?`, `[` and `\` in a prefix become
 * pattern syntax, so a prefix matches keys it does not start (and SCAN may also return a key twice).
 */
class ScanListingStore extends RedisRecordStore {
  override async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const client = this.ctx.connection.client;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${this.recordPrefix}${options.prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) found.add(k.slice(this.recordPrefix.length));
    } while (cursor !== '0');
    const keys = [...found]
      .filter((k) => options.after === undefined || compareKeys(k, options.after) > 0)
      .sort(compareKeys);
    const entries = [];
    for (const key of keys) {
      const e = await this.get(key);
      if (e) entries.push(e);
      if (entries.length > options.limit) break;
    }
    return { entries: entries.slice(0, options.limit), more: entries.length > options.limit };
  }
}

/**
 * The version kept in the record's own hash (`HINCRBY n`) instead of a counter that outlives it: a
 * delete removes the hash, and the key's next write starts again at version 1.
 */
const PUT_WITH_VERSION_IN_RECORD = patchScript(RECORD_PUT, 'record-put-version-in-record', [
  "local version = redis.call('INCR', K[4])",
  "local version = redis.call('HINCRBY', K[1], 'n', 1)",
]);

class VersionInRecordStore extends RedisRecordStore {
  constructor(ctx: RedisStoreContext, binding: RecordBinding) {
    super(ctx, binding);
    this.scripts = { ...this.scripts, put: PUT_WITH_VERSION_IN_RECORD };
  }
}

/**
 * Writes first and checks the compare-and-set condition after, raising an error when it fails: in
 * SQL that would roll back, but a Redis script keeps every write made before the error, so a refused
 * write still lands.
 */
const PUT_CHECK_AFTER_WRITE = writeScript(
  'record-put-check-after-write',
  `
local before = redis.call('HMGET', K[1], 'n', 'e')
local current = sp_num(before[1])
local e = sp_num(before[2])
if current and e and NOW >= e then current = nil end
local version = redis.call('INCR', K[4])
redis.call('HSET', K[1], 'v', A[2], 'n', version)
redis.call('HDEL', K[1], 'e')
redis.call('ZADD', K[2], 0, A[1])
if (A[3] == 'absent' and current) or (A[3] == 'version' and current ~= tonumber(A[4])) or A[3] == 'both' then
  return {'conflict', current or false}
end
local ttl = sp_num(sp_opt(A[5]))
if ttl then
  redis.call('HSET', K[1], 'e', NOW + ttl)
  return {'ok', version, NOW + ttl}
end
return {'ok', version, false}
`,
);

class CheckAfterWriteStore extends RedisRecordStore {
  constructor(ctx: RedisStoreContext, binding: RecordBinding) {
    super(ctx, binding);
    this.scripts = { ...this.scripts, put: PUT_CHECK_AFTER_WRITE };
  }
}

const recordMutant = (name: string, Store: new (ctx: RedisStoreContext, binding: RecordBinding) => RecordStore) =>
  mutantTarget(name, { record: (ctx, binding) => new Store(ctx, binding) });

/** Mutants of the Redis record store: bugs a Redis implementation makes and SQL ones do not. */
export const REDIS_RECORD_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-record-list-by-scan',
    kind: 'record',
    bug: 'lists with SCAN MATCH and the prefix pasted into the pattern: *, ?, [ and \\ in a prefix match keys it does not start',
    breaks: ['REC-013', 'REC-029'],
    properties: ['record/key-isolation', 'record/key-order', 'record/list-under-writes'],
    target: recordMutant('redis-record-list-by-scan', ScanListingStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-record-version-in-record',
    kind: 'record',
    bug: "keeps the version counter in the record's own hash: a delete drops it and the key's next write reuses version 1",
    breaks: ['REC-005'],
    properties: ['record/model'],
    target: recordMutant('redis-record-version-in-record', VersionInRecordStore),
    unavailable: () => redisServerUnavailable(),
  },
  {
    name: 'redis-record-check-after-write',
    kind: 'record',
    bug: 'checks the compare-and-set condition after writing, as if the script rolled back on a refusal: a refused write still lands',
    breaks: ['REC-027', 'REC-006'],
    properties: ['record/model'],
    target: recordMutant('redis-record-check-after-write', CheckAfterWriteStore),
    unavailable: () => redisServerUnavailable(),
  },
];
