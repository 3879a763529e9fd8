import { readScript, writeScript } from '../client/lua-script.js';
import { PROJECTION_HELPERS } from './projection-scripts.js';

/**
 * Records (spec/contract/record.md). Per surface: a hash per record `{v: value, n: version, e:
 * expiresAt}`, an index of keys (a sorted set at score 0, so `ZRANGEBYLEX` walks it in UTF-8 byte
 * order with a stable keyset cursor) and a sorted set of the keys that expire, by instant. Versions
 * come from one counter per namespace that is never deleted: strictly increasing per key, never
 * reused, not after a delete and not after a restart (the counter is in the append-only file with
 * the write that used it).
 *
 * A record is live while it has no expiry or `NOW < e`. Redis's own key expiry (`PEXPIREAT e`) only
 * reclaims memory a millisecond later; every script judges liveness itself.
 */

/** Shared by the writes: liveness of the current record, and the prune of expired keys from the index. */
const RECORD_HELPERS = `
local function live_version(hash)
  local cur = redis.call('HMGET', hash, 'n', 'e')
  local v = sp_num(cur[1])
  local e = sp_num(cur[2])
  if v and e and NOW >= e then return nil end
  return v
end
-- Takes up to \`limit\` (16 beside a write) expired keys out of the index, so that keys nobody lists
-- or deletes do not pile up; returns how many it looked at.
local function prune_expired(index, expiring, record_prefix, limit)
  local gone = redis.call('ZRANGEBYSCORE', expiring, '-inf', NOW, 'LIMIT', 0, limit or 16)
  for _, key in ipairs(gone) do
    local hash = record_prefix .. key
    local e = sp_num(redis.call('HGET', hash, 'e'))
    if e == nil or NOW >= e then
      if e ~= nil then redis.call('DEL', hash) end
      redis.call('ZREM', index, key)
      redis.call('ZREM', expiring, key)
    end
  end
  return #gone
end
`;

/**
 * KEYS: record hash, index, expiring set, version counter. ARGV: user key, value, condition
 * (`any`, `version`, `absent`, or `both`, which never holds), expected version, ttl ms (empty for none), record prefix, whether
 * Redis may expire the key itself (not under an injected clock, whose instants are not the server's).
 * Reply: `{'ok', version, expiresAt|false}` or `{'conflict', current|false}`.
 */
export const RECORD_PUT = writeScript(
  'record-put',
  `${RECORD_HELPERS}
local current = live_version(K[1])
if A[3] == 'both' then return {'conflict', current or false} end
if A[3] == 'absent' and current then return {'conflict', current} end
if A[3] == 'version' and current ~= tonumber(A[4]) then return {'conflict', current or false} end
local version = redis.call('INCR', K[4])
local ttl = sp_num(sp_opt(A[5]))
if ttl then
  local e = NOW + ttl
  redis.call('HSET', K[1], 'v', A[2], 'n', version, 'e', e)
  redis.call('ZADD', K[3], e, A[1])
  if A[7] == '1' then redis.call('PEXPIREAT', K[1], e) end
  redis.call('ZADD', K[2], 0, A[1])
  prune_expired(K[2], K[3], A[6])
  return {'ok', version, e}
end
redis.call('HSET', K[1], 'v', A[2], 'n', version)
redis.call('HDEL', K[1], 'e')
redis.call('PERSIST', K[1])
redis.call('ZREM', K[3], A[1])
redis.call('ZADD', K[2], 0, A[1])
prune_expired(K[2], K[3], A[6])
return {'ok', version, false}
`,
);

/**
 * KEYS: record hash, index, expiring set. ARGV: user key, expected version (empty for none), record prefix.
 * Reply: `{'deleted'}`, `{'absent'}` or `{'conflict', current|false}`.
 */
export const RECORD_DELETE = writeScript(
  'record-delete',
  `${RECORD_HELPERS}
local current = live_version(K[1])
local expected = sp_num(sp_opt(A[2]))
if expected and current ~= expected then return {'conflict', current or false} end
redis.call('DEL', K[1])
redis.call('ZREM', K[2], A[1])
redis.call('ZREM', K[3], A[1])
prune_expired(K[2], K[3], A[3])
if current then return {'deleted'} end
return {'absent'}
`,
);

/** KEYS: record hash. Reply: `{value, version, expiresAt|false}`, or nil when there is no live record. */
export const RECORD_GET = readScript(
  'record-get',
  `
local r = redis.call('HMGET', K[1], 'v', 'n', 'e')
if not r[2] then return false end
local e = sp_num(r[3])
if e and NOW >= e then return false end
return {r[1], tonumber(r[2]), e or false}
`,
);

/**
 * KEYS: index. ARGV: lower bound (`[prefix` or `(after`), upper bound (`(bound` or `+`), limit,
 * record prefix. Walks the index in byte order from the lower bound and returns up to limit + 1
 * live records as `{key, value, version, expiresAt|false}`; dead index entries are skipped.
 */
export const RECORD_LIST = readScript(
  'record-list',
  `
local limit = tonumber(A[3])
local out = {}
local from = A[1]
while #out <= limit do
  local batch = redis.call('ZRANGEBYLEX', K[1], from, A[2], 'LIMIT', 0, 128)
  for _, key in ipairs(batch) do
    local r = redis.call('HMGET', A[4] .. key, 'v', 'n', 'e')
    local e = sp_num(r[3])
    if r[2] and (e == nil or NOW < e) then
      out[#out + 1] = {key, r[1], tonumber(r[2]), e or false}
      if #out > limit then break end
    end
  end
  if #batch < 128 then break end
  from = '(' .. batch[#batch]
end
return out
`,
);

/**
 * The commit of a record projection (PRJ-003). KEYS: cursor, index, expiring set, version counter,
 * then the record hash of each write, in order. ARGV: from, to, reset (`1` or `0`), ttl ms (empty
 * for none), record prefix, whether Redis may expire keys itself, then per write its key, `p`
 * (put) or `d` (delete), and its value (empty for a delete).
 * Reply: `{'ok'}`, `{'conflict', current}` or `{'foreign', key}`, the last two with nothing written.
 *
 * Every check comes first: the cursor, then the type of every key the commit writes (a wrong type
 * would fail a write after others were made). With reset, every record the index names is deleted,
 * and the index and expiring set with them: work in proportion to the projection's size, in this
 * one script, so that the clearing and the first batch are one step. Then the writes as RECORD_PUT
 * and RECORD_DELETE make them (a put takes a fresh version from the namespace's counter), then the cursor.
 */
export const RECORD_APPLY_PROJECTION = writeScript(
  'record-apply-projection',
  `${PROJECTION_HELPERS}
local current = cursor_moved(K[1], A[1])
if current then return {'conflict', current} end
if not writable(K[1], 'string') then return {'foreign', K[1]} end
if not writable(K[2], 'zset') then return {'foreign', K[2]} end
if not writable(K[3], 'zset') then return {'foreign', K[3]} end
if not writable(K[4], 'string') then return {'foreign', K[4]} end
local n = #K - 4
for i = 1, n do
  if not writable(K[4 + i], 'hash') then return {'foreign', K[4 + i]} end
end
if A[3] == '1' then
  for _, key in ipairs(redis.call('ZRANGE', K[2], 0, -1)) do redis.call('DEL', A[5] .. key) end
  redis.call('DEL', K[2], K[3])
end
local ttl = sp_num(sp_opt(A[4]))
for i = 1, n do
  local hash = K[4 + i]
  local key = A[4 + 3 * i]
  if A[5 + 3 * i] == 'd' then
    redis.call('DEL', hash)
    redis.call('ZREM', K[2], key)
    redis.call('ZREM', K[3], key)
  else
    local version = redis.call('INCR', K[4])
    if ttl then
      local e = NOW + ttl
      redis.call('HSET', hash, 'v', A[6 + 3 * i], 'n', version, 'e', e)
      redis.call('ZADD', K[3], e, key)
      if A[6] == '1' then redis.call('PEXPIREAT', hash, e) end
    else
      redis.call('HSET', hash, 'v', A[6 + 3 * i], 'n', version)
      redis.call('HDEL', hash, 'e')
      redis.call('PERSIST', hash)
      redis.call('ZREM', K[3], key)
    end
    redis.call('ZADD', K[2], 0, key)
  end
end
redis.call('SET', K[1], A[2])
return {'ok'}
`,
);

/**
 * KEYS: index, expiring set. ARGV: record prefix, limit. Reply: how many expired records it removed
 * (their hashes, index and expiry entries); maintenance calls it in batches.
 */
export const RECORD_PRUNE = writeScript(
  'record-prune',
  `${RECORD_HELPERS}
return prune_expired(K[1], K[2], A[1], tonumber(A[2]))`,
);
