import { readScript, writeScript } from '../client/lua-script.js';
import { QUEUE_LUA } from './queue-lua.js';

/**
 * Enqueueing, claiming, cancelling and reading tasks (structures in queue-lua.ts). Every script
 * takes the surface's keys as K and its prefixes as A[1..4]; its own arguments follow from A[5].
 */

/**
 * ARGV from A[5]: n, then per item queue, payload, priority, runAt (empty: now), maxAttempts,
 * idempotency key (empty: none), ready head of runAt (empty with runAt). All or none: nothing in
 * it can fail after the first write. A key that a task (or an earlier item) has answers with that
 * task. Reply: `{id, deduped 1|0}` per item, in order.
 */
export const QUEUE_ENQUEUE = writeScript(
  'queue-enqueue',
  `${QUEUE_LUA}
local n = tonumber(A[5])
local plan = {}
local fresh = 0
local first = {}
for i = 1, n do
  local key = A[5 + (i - 1) * 7 + 6]
  local existing = false
  if key ~= '' then existing = redis.call('HGET', IDEM, key) end
  if existing then plan[i] = existing
  elseif key ~= '' and first[key] then plan[i] = -first[key]
  else
    fresh = fresh + 1
    plan[i] = fresh
    if key ~= '' then first[key] = fresh end
  end
end
local base = 0
if fresh > 0 then base = redis.call('INCRBY', IDS, fresh) - fresh end
local out = {}
local due = {}
local enqueued = int(NOW)
for i = 1, n do
  local p = plan[i]
  if type(p) == 'string' then out[i] = {p, 1}
  elseif p < 0 then out[i] = {int(base - p), 1}
  else
    local o = 5 + (i - 1) * 7
    local id = int(base + p)
    local q, r, head, key = A[o + 1], A[o + 4], A[o + 7], A[o + 6]
    local rnum
    if r == '' then r = enqueued; rnum = NOW; head = run_key(NOW) else rnum = tonumber(r) end
    local member = ready_member(head, id)
    local fields = {'q', q, 'p', A[o + 2], 'pr', A[o + 3], 'r', r, 'e', enqueued, 'a', '0', 'm', A[o + 5], 's', 'queued', 'c', '0', 'rm', member}
    if key ~= '' then
      fields[#fields + 1] = 'k'
      fields[#fields + 1] = key
      redis.call('HSET', IDEM, key, id)
    end
    redis.call('HSET', TASK .. id, unpack(fields))
    if place(id, q, tonumber(A[o + 3]), rnum, member) then due[q] = true end
    out[i] = {id, 0}
  end
end
if fresh > 0 then redis.call('HINCRBY', COUNTS, 'q', fresh) end
local woken = false
for q in pairs(due) do
  redis.call('SADD', QNAMES, q)
  woken = true
end
if woken then redis.call('PUBLISH', WAKE, '') end
return out
`,
);

/**
 * ARGV from A[5]: maxRuntimeMs (empty: none), global limit, per-queue limit (empty: none), the
 * number of claims n, then per claim: worker, limit, leaseMs, the claim's random token part, the
 * number of queues named, the queues (none: every queue). The claims made in one turn of the event
 * loop share the script (see redis-task-claims.ts); each is served in order, as if it ran alone
 * after the one before it.
 *
 * Moves the due delayed tasks to their ready sets (each task once, so the work is spread over
 * claims); then per claim takes the best `room` members of each requested queue that has room
 * (room: the limit, less what the global and per-queue limits leave), merges them in claim order
 * and starts an attempt of the first `limit`: token `<attempt>.<maxAttempts>.<random>.<id>`, lease
 * end core's attemptLeaseEnd(NOW, NOW, leaseMs, maxRuntimeMs). Reply: per claim, per task `{id,
 * queue, payload, priority, attempt, maxAttempts, token, leaseExpiresAt, enqueuedAt}`, in claim order.
 */
export const QUEUE_CLAIM = writeScript(
  'queue-claim',
  `${QUEUE_LUA}
local promoted = {}
while true do
  local ids = redis.call('ZRANGEBYSCORE', DELAYED, '-inf', NOW, 'LIMIT', 0, 500)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local t = redis.call('HMGET', TASK .. id, 'q', 'pr', 'rm', 's')
    if t[4] == 'queued' then
      redis.call('ZADD', READY .. t[1], 0 - tonumber(t[2]), t[3])
      promoted[t[1]] = true
    end
  end
  chunked('ZREM', DELAYED, ids, 500)
  if #ids < 500 then break end
end
for q in pairs(promoted) do redis.call('SADD', QNAMES, q) end

local max = sp_num(sp_opt(A[5]))
local global = sp_num(sp_opt(A[6]))
local per = sp_num(sp_opt(A[7]))

local function claim(worker, limit, lease_ms, rnd, named)
  if global then limit = math.min(limit, global - redis.call('ZCARD', RUNNING)) end
  if limit <= 0 then return {} end
  local queues = {}
  if #named == 0 then queues = redis.call('SMEMBERS', QNAMES)
  else
    local seen = {}
    for _, q in ipairs(named) do
      if not seen[q] then
        seen[q] = true
        queues[#queues + 1] = q
      end
    end
  end
  -- The best room members of each queue with room; with one queue they are the claim, popped at once.
  local single = #queues == 1
  local heads = {}
  for _, q in ipairs(queues) do
    local room = limit
    if per then room = math.min(room, per - (tonumber(redis.call('HGET', RUNQ, q)) or 0)) end
    if room > 0 then
      local r
      if single then r = redis.call('ZPOPMIN', READY .. q, room)
      else r = redis.call('ZRANGE', READY .. q, 0, room - 1, 'WITHSCORES') end
      if #r > 0 then heads[#heads + 1] = {q = q, r = r, i = 1, taken = {}, room = room}
      else redis.call('SREM', QNAMES, q) end
    end
  end
  -- Merge in claim order: score (-priority), then member (due time, id; digits of one length, so
  -- that no collation can reorder them).
  local picks = {}
  while #picks < limit do
    local best
    for _, h in ipairs(heads) do
      if h.i < #h.r then
        if not best then best = h
        else
          local s, b = tonumber(h.r[h.i + 1]), tonumber(best.r[best.i + 1])
          if s < b or (s == b and h.r[h.i] < best.r[best.i]) then best = h end
        end
      end
    end
    if not best then break end
    picks[#picks + 1] = {best.q, best.r[best.i]}
    best.taken[#best.taken + 1] = best.r[best.i]
    best.i = best.i + 2
  end
  for _, h in ipairs(heads) do
    if #h.taken > 0 and not single then chunked('ZREM', READY .. h.q, h.taken, 1000) end
    -- Emptied (it gave all it held): no longer a queue with ready tasks.
    if #h.taken * 2 == #h.r and (#h.taken < h.room or redis.call('ZCARD', READY .. h.q) == 0) then
      redis.call('SREM', QNAMES, h.q)
    end
  end
  if #picks == 0 then return {} end

  -- core's attemptLeaseEnd(NOW, NOW, leaseMs, maxRuntimeMs)
  local lease = NOW + lease_ms
  if max then lease = math.min(lease, NOW + max) end
  local out, leases, per_q = {}, {}, {}
  for _, p in ipairs(picks) do
    local id = member_id(p[2])
    local key = TASK .. id
    local t = redis.call('HMGET', key, 'a', 'm', 'p', 'pr', 'e', 's')
    if t[6] == 'queued' then
      local attempt = tonumber(t[1]) + 1
      local token = int(attempt) .. '.' .. t[2] .. '.' .. rnd .. '.' .. id
      redis.call('HSET', key, 's', 'running', 'a', attempt, 'tk', token, 'l', lease, 'st', NOW, 'w', worker, 'c', '0')
      leases[#leases + 1] = lease
      leases[#leases + 1] = id
      per_q[p[1]] = (per_q[p[1]] or 0) + 1
      out[#out + 1] = {id, p[1], t[3], tonumber(t[4]), attempt, tonumber(t[2]), token, lease, tonumber(t[5])}
    end
  end
  if #out > 0 then
    chunked('ZADD', RUNNING, leases, 1000)
    for q, c in pairs(per_q) do redis.call('HINCRBY', RUNQ, q, c) end
    redis.call('HINCRBY', COUNTS, 'q', -#out)
  end
  return out
end

local replies = {}
local o = 9
for c = 1, tonumber(A[8]) do
  local named = {}
  for i = 1, tonumber(A[o + 4]) do named[i] = A[o + 4 + i] end
  replies[c] = claim(A[o], tonumber(A[o + 1]), tonumber(A[o + 2]), A[o + 3], named)
  o = o + 5 + #named
end
return replies
`,
);

/**
 * ARGV from A[5]: task id. Core's cancelDecision, mirrored: a queued task is canceled at once (out
 * of its ready or delayed set), a running one gets a request its next heartbeat delivers, a
 * finished one stays as it is. Reply: `{state, cancelRequested 1|0}`, or `{'not-found'}`.
 */
export const QUEUE_CANCEL = writeScript(
  'queue-cancel',
  `${QUEUE_LUA}
local key = TASK .. A[5]
local t = redis.call('HMGET', key, 's', 'q', 'rm', 'c')
if not t[1] then return {'not-found'} end
if t[1] == 'queued' then
  redis.call('ZREM', READY .. t[2], t[3])
  redis.call('ZREM', DELAYED, A[5])
  finished(key, A[5], 'canceled')
  redis.call('HINCRBY', COUNTS, 'q', -1)
  redis.call('HINCRBY', COUNTS, 'c', 1)
  return {'canceled', t[4] == '1' and 1 or 0}
end
if t[1] == 'running' then
  redis.call('HSET', key, 'c', '1')
  return {'running', 1}
end
return {t[1], t[4] == '1' and 1 or 0}
`,
);

/**
 * ARGV from A[5]: task id. Reply: false when there is no such task, else `{queue, state, payload,
 * priority, runAt, enqueuedAt, attempts, maxAttempts, key, cancelRequested, leaseExpiresAt,
 * result, lastError, worker, startedAt, finishedAt, history}` (absent fields false; history the
 * ended attempts as stored, oldest first).
 */
export const QUEUE_GET = readScript(
  'queue-get',
  `${QUEUE_LUA}
local t = redis.call('HMGET', TASK .. A[5], 'q', 's', 'p', 'pr', 'r', 'e', 'a', 'm', 'k', 'c', 'l', 'res', 'err', 'w', 'st', 'f')
if not t[2] then return false end
t[17] = redis.call('LRANGE', HIST .. A[5], 0, -1)
return t
`,
);

/** Reply: `{queued, running, succeeded, failed, canceled, lost}`. */
export const QUEUE_COUNTERS = readScript(
  'queue-counters',
  `${QUEUE_LUA}
local c = redis.call('HMGET', COUNTS, 'q', 's', 'f', 'c', 'l')
return {tonumber(c[1]) or 0, redis.call('ZCARD', RUNNING), tonumber(c[2]) or 0, tonumber(c[3]) or 0, tonumber(c[4]) or 0, tonumber(c[5]) or 0}
`,
);
