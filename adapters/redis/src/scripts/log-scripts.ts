import { readScript, writeScript } from '../client/lua-script.js';
import { PROJECTION_HELPERS } from './projection-scripts.js';

/**
 * Logs (spec/contract/log.md). Per stream, three keys that live as long as the namespace:
 *
 * - a meta hash `{last, at}`: the last sequence ever assigned and the instant of the last append. It
 *   is never deleted or trimmed, so an emptied or trimmed stream never hands a sequence out twice,
 *   and it is written by the same script as the entries (one MULTI/EXEC in the append-only file), so
 *   a restart finds both or neither;
 * - a Redis stream whose entry ids are `0-<seq>` with the fields `t` (instant) then `v` (value); an
 *   explicit id must be above the stream's last id, which the meta hash guarantees;
 * - a cursor hash `{consumer: seq}`.
 *
 * Retention is applied logically by every read (the newest `maxEntries`, those appended after
 * `NOW - maxAgeMs`) and physically by every append (`XTRIM MINID`), so an entry past its limit is
 * never returned, even before the next append removes it. Entries' instants never decrease along
 * a stream (an append is stamped no earlier than the one before, see LOG_APPEND), so the entries
 * retained by age are a suffix and a binary search finds the first of them.
 */

/** Shared by the scripts: stream ids, entry instants, and the oldest retained sequence. */
const LOG_HELPERS = `
-- '%d' keeps large sequences out of Lua's %.14g exponent form.
local function sid(seq) return string.format('0-%d', seq) end
local function last_of(meta) return sp_num(redis.call('HGET', meta, 'last')) or 0 end
-- The instant of entry seq; an entry that is not there counts as older than any cutoff.
local function entry_at(stream, seq)
  local e = redis.call('XRANGE', stream, sid(seq), sid(seq))[1]
  if not e then return nil end
  return tonumber(e[2][2])
end
-- The oldest retained sequence of a stream whose last sequence is last, or nil when none is retained: the
-- first entry still in the stream, among the newest max_entries, appended after NOW - max_age
-- (live while NOW < at + max_age: an entry appended at t is gone once the clock reads t + max_age).
local function oldest_retained(stream, last, max_entries, max_age)
  if last == 0 then return nil end
  local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
  if not head then return nil end
  local lo = tonumber(string.sub(head[1], 3))
  if max_entries and last - max_entries + 1 > lo then lo = last - max_entries + 1 end
  if lo > last then return nil end
  if max_age then
    local cutoff = NOW - max_age
    local a = entry_at(stream, lo)
    if a and a > cutoff then return lo end
    -- Instants never decrease with the sequence: the first young entry is in (lo, last + 1].
    local hi = last + 1
    while hi - lo > 1 do
      local mid = math.floor((lo + hi) / 2)
      local m = entry_at(stream, mid)
      if m and m > cutoff then hi = mid else lo = mid end
    end
    if hi > last then return nil end
    return hi
  end
  return lo
end
`;

/**
 * KEYS: meta hash, stream. ARGV: maxEntries (empty for none), maxAgeMs (empty for none), wake
 * channel, stream digest (the wake-up payload), then the encoded values (at least one).
 * Reply: `{firstSeq, count, at}`.
 *
 * The entries are stamped `max(NOW, at of the previous append)`: the server's clock, except that a
 * clock stepped back does not stamp a later entry earlier than an older one, which would punch a
 * hole in the middle of the stream when the older one ages out first.
 */
export const LOG_APPEND = writeScript(
  'log-append',
  `${LOG_HELPERS}
local last = last_of(K[1])
local prev = sp_num(redis.call('HGET', K[1], 'at'))
local at = NOW
if prev and prev > at then at = prev end
local n = #A - 4
-- The first XADD is the first write, and the only one that can be refused (an id at or below the
-- stream's last id, were the stream ever written behind the meta hash's back): refused, nothing is written.
for i = 1, n do redis.call('XADD', K[2], sid(last + i), 't', string.format('%d', at), 'v', A[4 + i]) end
local top = last + n
redis.call('HSET', K[1], 'last', string.format('%d', top), 'at', string.format('%d', at))
local oldest = oldest_retained(K[2], top, sp_num(sp_opt(A[1])), sp_num(sp_opt(A[2])))
redis.call('XTRIM', K[2], 'MINID', sid(oldest or (top + 1)))
redis.call('PUBLISH', A[3], A[4])
return {last + 1, n, at}
`,
);

/**
 * KEYS: meta hash, stream. ARGV: after, limit, maxEntries (empty for none), maxAgeMs (empty for none).
 * Reply: `{last, oldest|false, seq1, at1, value1, seq2, …}`: the last assigned sequence, the oldest
 * retained one, and up to `limit` retained entries after `after`, all from one instant. No entries
 * when `after` is at or past the end, or when entries after it were trimmed: the caller then
 * raises core's trimmed error (trimmedRead) from `oldest` and `last`, which this script mirrors.
 */
export const LOG_READ = readScript(
  'log-read',
  `${LOG_HELPERS}
local last = last_of(K[1])
local oldest = oldest_retained(K[2], last, sp_num(sp_opt(A[3])), sp_num(sp_opt(A[4])))
local after = tonumber(A[1])
local out = {last, oldest or false}
if after >= last or oldest == nil or after + 1 < oldest then return out end
local rows = redis.call('XRANGE', K[2], '(' .. sid(after), '+', 'COUNT', A[2])
for _, e in ipairs(rows) do
  out[#out + 1] = string.sub(e[1], 3)
  out[#out + 1] = e[2][2]
  out[#out + 1] = e[2][4]
end
return out
`,
);

/** KEYS: cursor hash. ARGV: consumer. Reply: the committed sequence, 0 when none. */
export const LOG_GET_CURSOR = readScript(
  'log-get-cursor',
  `
return sp_num(redis.call('HGET', K[1], A[1])) or 0
`,
);

/**
 * KEYS: meta hash, cursor hash. ARGV: consumer, seq, reset (`1` or `0`).
 * Reply: `{'ok'}`, or `{'refused', current, last}` with nothing written. The refusal mirrors core's
 * cursorCommitError (beyond the last sequence, or backwards without reset), which the caller then
 * asks for the typed error, so the rule is decided where the write happens and worded by core.
 */
export const LOG_COMMIT_CURSOR = writeScript(
  'log-commit-cursor',
  `
local last = sp_num(redis.call('HGET', K[1], 'last')) or 0
local current = sp_num(redis.call('HGET', K[2], A[1])) or 0
local seq = tonumber(A[2])
if seq > last or (seq < current and A[3] ~= '1') then return {'refused', current, last} end
redis.call('HSET', K[2], A[1], A[2])
return {'ok'}
`,
);

/**
 * The commit of a log projection (PRJ-003). KEYS: cursor, the surface's set of stream names, then
 * the meta hash and stream of each stream the commit appends to. ARGV: from, to, reset (`1` or
 * `0`), maxEntries and maxAgeMs (empty for none), wake channel, the stream prefix (`keys.prefix('ls')`),
 * then per stream its name, its digest (the wake-up payload) and how many values it gets, then
 * every value, stream after stream, each stream's in order.
 * Reply: `{'ok'}`, `{'conflict', current}` or `{'foreign', key}`, the last two with nothing written.
 *
 * Every check comes first: the cursor, the type of every key the commit writes, and that each
 * stream it appends to, unless the reset deletes it, has no id above its meta hash's last sequence
 * (an XADD at or below the stream's last id is refused, which would leave the streams before it
 * appended). The set holds the name of every stream a commit appended to: a projection is written
 * by its projector only, so with reset every stream of the surface is deleted, found through the set
 * (never a SCAN); their meta hashes stay, so sequences go on. That is work in proportion to the
 * projection's size, in this one script, so that the clearing and the first batch are one step.
 * The appends are LOG_APPEND's (stamps never decreasing, retention trimmed, a wake-up per stream),
 * then the cursor moves.
 */
export const LOG_APPLY_PROJECTION = writeScript(
  'log-apply-projection',
  `${LOG_HELPERS}${PROJECTION_HELPERS}
local current = cursor_moved(K[1], A[1])
if current then return {'conflict', current} end
if not writable(K[1], 'string') then return {'foreign', K[1]} end
if not writable(K[2], 'set') then return {'foreign', K[2]} end
local reset = A[3] == '1'
local m = (#K - 2) / 2
for j = 1, m do
  local meta = K[1 + 2 * j]
  local stream = K[2 + 2 * j]
  if not writable(meta, 'hash') then return {'foreign', meta} end
  if not writable(stream, 'stream') then return {'foreign', stream} end
  local deleted = reset and redis.call('SISMEMBER', K[2], A[5 + 3 * j]) == 1
  if not deleted and redis.call('EXISTS', stream) == 1 then
    local info = redis.call('XINFO', 'STREAM', stream)
    local top = nil
    for i = 1, #info, 2 do if info[i] == 'last-generated-id' then top = info[i + 1] end end
    local ms, seq = string.match(top or '', '^(%d+)-(%d+)$')
    if ms ~= '0' or tonumber(seq) > last_of(meta) then return {'foreign', stream} end
  end
end
if reset then
  for _, name in ipairs(redis.call('SMEMBERS', K[2])) do redis.call('DEL', A[7] .. name) end
end
local max_entries = sp_num(sp_opt(A[4]))
local max_age = sp_num(sp_opt(A[5]))
local v = 7 + 3 * m
for j = 1, m do
  local meta = K[1 + 2 * j]
  local stream = K[2 + 2 * j]
  local count = tonumber(A[7 + 3 * j])
  local last = last_of(meta)
  local prev = sp_num(redis.call('HGET', meta, 'at'))
  local at = NOW
  if prev and prev > at then at = prev end
  for i = 1, count do
    redis.call('XADD', stream, sid(last + i), 't', string.format('%d', at), 'v', A[v + i])
  end
  v = v + count
  local top = last + count
  redis.call('HSET', meta, 'last', string.format('%d', top), 'at', string.format('%d', at))
  local oldest = oldest_retained(stream, top, max_entries, max_age)
  redis.call('XTRIM', stream, 'MINID', sid(oldest or (top + 1)))
  redis.call('SADD', K[2], A[5 + 3 * j])
  redis.call('PUBLISH', A[6], A[6 + 3 * j])
end
redis.call('SET', K[1], A[2])
return {'ok'}
`,
);
