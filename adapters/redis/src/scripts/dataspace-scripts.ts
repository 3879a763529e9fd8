import { readScript, writeScript } from '../client/lua-script.js';

/**
 * Dataspaces (spec/contract/dataspace.md). Per surface:
 *
 * - `ds:rev`: the revision counter (a string, `INCR`), bumped once per change and never reset;
 * - `ds:log`: the change log, a stream whose entry ids are `0-<revision>`, so an entry's id is its
 *   revision and a reader can tell a trimmed gap (`t` `a`|`r`, `i` id, `v` value, `s` session,
 *   `o` owner, `r` reason); trimmed to the newest `changeRetention` entries by every change;
 * - `ds:ids`: the index of asserted ids, a sorted set at score 0 (`ZRANGEBYLEX` walks it in UTF-8
 *   byte order);
 * - `ds:exp`: the open sessions by lease end (`ZRANGEBYSCORE -inf NOW` are the ones to reap);
 * - `ds:a␟<id>`: an assertion, a hash `{v: value, s: session, o: owner, n: revision}`;
 * - `ds:s␟<session>`: a session, a hash `{o: owner, e: expiresAt, st: open|closed|expired}`; kept
 *   after it ends, so that its id still answers SESSION_EXPIRED rather than NOT_FOUND, until
 *   retention prunes it (DSP-025; then NOT_FOUND, and the id is never handed out again);
 * - `ds:ended`: the ended (closed or expired) sessions by lease end `e` (a close leaves it after the
 *   close), added where a session ends (`retract_all`), read by the prune script only: a session is
 *   prunable once NOW >= e + endedSessionsMs. Sessions that ended before this set existed (adapter
 *   versions before retention) are not in it and are kept: finding them would take a scan of the
 *   keyspace, which no script does; acceptable for a 0.x adapter;
 * - `ds:own␟<session>`: the ids a session owns, a sorted set at score 0 (byte order, so a session's
 *   assertions are retracted in id order).
 *
 * Session ids come from one counter per namespace (`ns:dataspace-sessions`), unique within it.
 *
 * Every write script takes the same first keys and arguments (see {@link dataspaceKeys} in the
 * store): KEYS rev, log, ids, exp, session counter, ended; ARGV assertion prefix, session prefix, owned
 * prefix, change retention, wake channel; then its own arguments from `A[6]`. Each one makes every
 * check before its own writes and returns a refusal as a reply (`{'not-found'}`, `{'expired',
 * state}`, `{'ownership', owner, session}`). The only writes that can precede a refusal are the reap
 * of a session whose lease it found ended, which the contract wants kept (DSP-003, DSP-007). A
 * change appends to the log, trims it and PUBLISHes the new revision on the wake channel (a hint:
 * subscribers poll as well).
 */
const DATASPACE_HELPERS = `
local REV, LOG, IDS, EXP, ENDED = K[1], K[2], K[3], K[4], K[6]
local APFX, SPFX, OPFX, RETAIN, WAKE = A[1], A[2], A[3], tonumber(A[4]), A[5]
local changed = false

local function int(n) return string.format('%d', n) end

local function session(sid)
  local r = redis.call('HMGET', SPFX .. sid, 'o', 'e', 'st')
  if not r[1] then return nil end
  return {id = sid, owner = r[1], e = tonumber(r[2]), st = r[3]}
end

-- core's sessionExpired: an open session whose lease has run out (NOW >= expiresAt, exclusive end).
local function expired(s) return s.st == 'open' and NOW >= s.e end

-- Appends one change with the next revision, and returns the revision.
local function log_change(fields)
  local rev = redis.call('INCR', REV)
  redis.call('XADD', LOG, '0-' .. int(rev), unpack(fields))
  changed = true
  return rev
end

-- Ends a session and retracts each of its assertions once, in id order, with reason 'closed' or 'expired'.
local function retract_all(s, reason)
  local own = OPFX .. s.id
  local ids = redis.call('ZRANGE', own, 0, -1)
  for _, id in ipairs(ids) do
    redis.call('DEL', APFX .. id)
    redis.call('ZREM', IDS, id)
    log_change({'t', 'r', 'i', id, 's', s.id, 'o', s.owner, 'r', reason})
  end
  redis.call('DEL', own)
  redis.call('HSET', SPFX .. s.id, 'st', reason)
  redis.call('ZREM', EXP, s.id)
  redis.call('ZADD', ENDED, int(s.e), s.id)
  s.st = reason
  return #ids
end

-- core's checkSession: unknown is not-found; a lease that ran out is reaped, then expired; an ended session is expired.
local function live(sid)
  local s = session(sid)
  if not s then return nil, {'not-found'} end
  if expired(s) then
    retract_all(s, 'expired')
    return nil, {'expired', 'expired'}
  end
  if s.st ~= 'open' then return nil, {'expired', s.st} end
  return s
end

-- Whether id is asserted, or the refusal when another live session owns it (core's foreignOwner);
-- an owner whose lease ran out is reaped first, which frees the id.
local function writable(id, self)
  local holder = redis.call('HGET', APFX .. id, 's')
  if not holder then return false end
  if holder == self.id then return true end
  local o = session(holder)
  if not o then return true end
  if expired(o) then
    retract_all(o, 'expired')
    return false
  end
  return nil, {'ownership', o.owner, o.id}
end

-- After a change: keep the newest RETAIN entries of the log, and wake the subscribers.
local function finish()
  if not changed then return end
  local rev = tonumber(redis.call('GET', REV))
  if rev > RETAIN then redis.call('XTRIM', LOG, 'MINID', '0-' .. int(rev - RETAIN + 1)) end
  redis.call('PUBLISH', WAKE, int(rev))
end
`;

/** A dataspace write: the helpers, `run()` from `body`, then the log's upkeep. */
function dataspaceWrite(name: string, body: string): ReturnType<typeof writeScript> {
  return writeScript(
    name,
    `${DATASPACE_HELPERS}
local function run()
${body}
end
local reply = run()
finish()
return reply
`,
  );
}

/** ARGV from 6: owner, lease ms. Reply: `{'ok', session, expiresAt}`. */
export const DATASPACE_OPEN = dataspaceWrite(
  'dataspace-open',
  `
local sid = int(redis.call('INCR', K[5]))
local e = NOW + tonumber(A[7])
redis.call('HSET', SPFX .. sid, 'o', A[6], 'e', e, 'st', 'open')
redis.call('ZADD', EXP, e, sid)
return {'ok', sid, e}
`,
);

/** ARGV from 6: session, lease ms. Reply: `{'ok', expiresAt}` or a refusal. */
export const DATASPACE_HEARTBEAT = dataspaceWrite(
  'dataspace-heartbeat',
  `
local self, refusal = live(A[6])
if not self then return refusal end
local e = NOW + tonumber(A[7])
redis.call('HSET', SPFX .. self.id, 'e', e)
redis.call('ZADD', EXP, e, self.id)
return {'ok', e}
`,
);

/**
 * ARGV from 6: session. Mirrors core's closeSessionDecision: unknown is not-found; a lease that ran
 * out is reaped (reason expired, none reported); an open session retracts with reason closed; an
 * ended one changes nothing. Reply: `{'ok', retracted}` or `{'not-found'}`.
 */
export const DATASPACE_CLOSE = dataspaceWrite(
  'dataspace-close',
  `
local s = session(A[6])
if not s then return {'not-found'} end
if expired(s) then
  retract_all(s, 'expired')
  return {'ok', 0}
end
if s.st == 'open' then return {'ok', retract_all(s, 'closed')} end
return {'ok', 0}
`,
);

/** ARGV from 6: session, id, value. Reply: `{'ok', revision}` or a refusal. */
export const DATASPACE_ASSERT = dataspaceWrite(
  'dataspace-assert',
  `
local self, refusal = live(A[6])
if not self then return refusal end
local id = A[7]
local _, taken = writable(id, self)
if taken then return taken end
local rev = log_change({'t', 'a', 'i', id, 'v', A[8], 's', self.id, 'o', self.owner})
redis.call('HSET', APFX .. id, 'v', A[8], 's', self.id, 'o', self.owner, 'n', rev)
redis.call('ZADD', IDS, 0, id)
redis.call('ZADD', OPFX .. self.id, 0, id)
return {'ok', rev}
`,
);

/** ARGV from 6: session, id. Reply: `{'ok', revision}`, `{'none'}` when nobody asserts the id, or a refusal. */
export const DATASPACE_RETRACT = dataspaceWrite(
  'dataspace-retract',
  `
local self, refusal = live(A[6])
if not self then return refusal end
local id = A[7]
local exists, taken = writable(id, self)
if taken then return taken end
if not exists then return {'none'} end
redis.call('DEL', APFX .. id)
redis.call('ZREM', IDS, id)
redis.call('ZREM', OPFX .. self.id, id)
return {'ok', log_change({'t', 'r', 'i', id, 's', self.id, 'o', self.owner, 'r', 'retracted'})}
`,
);

/**
 * ARGV from 6: the most sessions to reap in this call. Reaps the open sessions whose lease ran out,
 * whoever opened them, each judged again by core's rule. Reply: `{'ok', expired, retracted, more}`,
 * `more` 1 when the limit was reached (the caller runs it again).
 */
export const DATASPACE_REAP = dataspaceWrite(
  'dataspace-reap',
  `
local limit = tonumber(A[6])
local due = redis.call('ZRANGEBYSCORE', EXP, '-inf', NOW, 'LIMIT', 0, limit)
local reaped, retracted = 0, 0
for _, sid in ipairs(due) do
  local s = session(sid)
  if s and expired(s) then
    reaped = reaped + 1
    retracted = retracted + retract_all(s, 'expired')
  elseif not s or s.st ~= 'open' then
    redis.call('ZREM', EXP, sid)
  end
end
return {'ok', reaped, retracted, #due == limit and 1 or 0}
`,
);

/**
 * ARGV from 6: the most sessions to remove, the retention `endedSessionsMs`. Core's
 * endedSessionCutoff mirrored: the ended sessions whose lease end is at or before NOW -
 * endedSessionsMs, oldest first, removed with what is left of them (their assertions were retracted
 * as they ended). A member that is not an ended session (which no script leaves) is only taken out
 * of the set: an open session is never removed. Idempotent: a second run finds them gone. Reply:
 * `{'ok', removed}`, removed the members taken out of the set (fewer than the limit: none else due).
 */
export const DATASPACE_PRUNE = dataspaceWrite(
  'dataspace-prune',
  `
local limit = tonumber(A[6])
local cutoff = NOW - tonumber(A[7])
local due = redis.call('ZRANGEBYSCORE', ENDED, '-inf', int(cutoff), 'LIMIT', 0, limit)
for _, sid in ipairs(due) do
  local s = session(sid)
  if s and s.st ~= 'open' then redis.call('DEL', SPFX .. sid, OPFX .. sid) end
end
for i = 1, #due, 500 do redis.call('ZREM', ENDED, unpack(due, i, math.min(i + 499, #due))) end
return {'ok', #due}
`,
);

/**
 * KEYS: rev, ids. ARGV: assertion prefix, `exact` or `range`, the id or the lower bound (`[from`
 * or `-`), the upper bound (`(bound` or `+`). Reply: `{revision, {id, value, session, owner,
 * revision}…}`: the matching assertions (narrowed by range; the store applies the filter itself)
 * and the revision they were read at, in one atomic read.
 */
export const DATASPACE_LIST = readScript(
  'dataspace-list',
  `
local out = {tonumber(redis.call('GET', K[1]) or '0')}
local function add(id)
  local r = redis.call('HMGET', A[1] .. id, 'v', 's', 'o', 'n')
  if r[1] then out[#out + 1] = {id, r[1], r[2], r[3], tonumber(r[4])} end
end
if A[2] == 'exact' then
  add(A[3])
else
  for _, id in ipairs(redis.call('ZRANGEBYLEX', K[2], A[3], A[4])) do add(id) end
end
return out
`,
);

/** KEYS: log. ARGV: the revision read up to, the most entries. Reply: the log's entries after it (XRANGE). */
export const DATASPACE_CHANGES = readScript(
  'dataspace-changes',
  `
return redis.call('XRANGE', K[1], '(0-' .. A[1], '+', 'COUNT', A[2])
`,
);
