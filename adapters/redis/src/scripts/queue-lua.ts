/**
 * The Lua every queue script starts with: the surface's structures and the helpers the scripts
 * share. The structures of one queue surface (keys from redis-queue-keys.ts):
 *
 * - a hash per task (`t` + id): queue `q`, payload `p`, priority `pr`, due time `r`, enqueued `e`,
 *   attempts `a`, max attempts `m`, idempotency key `k`, state `s`, cancel requested `c` (`1`/`0`),
 *   its ready-set member `rm`; while running the attempt's token `tk`, lease end `l`, start `st` and
 *   worker `w` (a succeeded task keeps `st` and `w`: its last attempt is read from them); `res`,
 *   `err` (last error) and `f` (finished at);
 * - a list per task (`th` + id) of its ended attempts other than successes, newest `attemptHistory`
 *   kept, each `attempt US worker US startedAt US endedAt US outcome [US error]`; the running (or
 *   succeeded last) attempt is the hash's fields, so a claim and a completion write no history;
 * - a ready set per named queue (`rq` + queue): the due queued tasks, score -priority, member due
 *   time (20 digits, order-preserving) then id (16 digits), all digits and of one length, so that
 *   ZRANGE gives core's compareClaimOrder: priority desc, then due time, then enqueue order;
 * - `qd` the queued tasks not yet due, by due time (claims move the due ones to their ready set);
 * - `qr` the running tasks by lease end, every worker's: the reaper's index (a lease never ends
 *   after start + maxRuntimeMs, so overdue attempts are expired ones too), and the global count;
 * - `qc` running attempts per queue, `qs` the queues that may have ready tasks, `qk` idempotency
 *   key -> task id, `qn` counters (q queued, s succeeded, f failed, c canceled, l lost): totals
 *   kept by the scripts, never derived from the stored tasks, so pruning leaves them as they are;
 * - the namespace's task id counter (ids are the enqueue order);
 * - `qf` the finished tasks (succeeded, failed, canceled) by the instant they finished (NOW of the
 *   script that ended them, the hash's `f`): every terminal transition adds the task (`finished`
 *   below), and retention's prune (queue-reap-scripts.ts) removes the due ones, oldest first, with
 *   their hash, history and idempotency key (QUE-037, QUE-038). Tasks that finished before this set
 *   existed (adapter versions before retention) are not in it and are kept: finding them would take
 *   a scan of the keyspace, which no script does; acceptable for a 0.x adapter.
 *
 * Only live tasks are in the sets the hot paths read; a finished task keeps its hash (and history)
 * for get and idempotency until retention prunes it, and is in `qf` only, which only prune reads.
 */
export const QUEUE_LUA = `
local DELAYED, RUNNING, COUNTS, RUNQ, QNAMES, IDEM, IDS, FINISHED = K[1], K[2], K[3], K[4], K[5], K[6], K[7], K[8]
local TASK, HIST, READY, WAKE = A[1], A[2], A[3], A[4]
local US = '\\31'

-- Integers as text without an exponent (Lua's own tostring and .. use %.14g).
local function int(n) return string.format('%d', n) end

-- The order-preserving text of a due time the script computed (never negative): the store's readyHead.
local function run_key(r) return '1' .. string.format('%019d', r) end

-- The member of task id in its ready set: due time head, then the id in 16 digits.
local function ready_member(head, id) return head .. string.format('%016d', tonumber(id)) end

-- The task id a ready-set member ends with.
local function member_id(member) return string.match(string.sub(member, 21), '^0*(%d+)$') end

-- Runs cmd key ...list in chunks (unpack has a limit); step must be even for pairs.
local function chunked(cmd, key, list, step)
  for i = 1, #list, step do redis.call(cmd, key, unpack(list, i, math.min(i + step - 1, #list))) end
end

-- Core's attemptLost (packages/core/src/queue/attempt-lost.ts), mirrored on t = HMGET 's', 'tk',
-- 'l', 'a': nil when the write of the attempt token names may go through (the task runs that
-- attempt and NOW < its lease end), else the snapshot the store hands to attemptLost for the error:
-- {'refused', state|false, token matches 1|0, attempts, lease end|false, NOW}.
local function refusal(t, token)
  if not t[1] then return {'refused', false} end
  local current = t[1] == 'running' and t[2] == token
  if current and NOW < tonumber(t[3]) then return nil end
  return {'refused', t[1], current and 1 or 0, tonumber(t[4]), t[3] and tonumber(t[3]) or false, NOW}
end

-- Appends the running attempt of task id, ended now, to its history; the newest keep stay.
local function push_history(id, attempt, worker, started, outcome, err, keep)
  local e = attempt .. US .. worker .. US .. started .. US .. int(NOW) .. US .. outcome
  if err then e = e .. US .. err end
  redis.call('RPUSH', HIST .. id, e)
  redis.call('LTRIM', HIST .. id, -keep, -1)
end

-- Takes the running attempt of task id (hash key) of queue q out of the running structures.
local function stop_running(key, id, q)
  redis.call('HDEL', key, 'tk', 'l', 'st', 'w')
  redis.call('ZREM', RUNNING, id)
  redis.call('HINCRBY', RUNQ, q, -1)
end

-- Ends task id (hash key) in a terminal state (succeeded, failed or canceled) at NOW, and lists it
-- for retention (FINISHED by finish instant). The caller counts it; a completion batch adds its ids itself.
local function finished(key, id, state)
  redis.call('HSET', key, 's', state, 'f', NOW)
  redis.call('ZADD', FINISHED, NOW, id)
end

-- Puts queued task id where claims find it: its queue's ready set when due, else the delayed set.
-- True when it is due (the caller then lists the queue in QNAMES).
local function place(id, q, pr, r, member)
  if r <= NOW then
    redis.call('ZADD', READY .. q, 0 - pr, member)
    return true
  end
  redis.call('ZADD', DELAYED, r, id)
  return false
end

-- Queues task id (hash key) of queue q with priority pr again, due at r (a retry).
local function requeue(key, id, q, pr, r)
  local member = ready_member(run_key(r), id)
  redis.call('HSET', key, 's', 'queued', 'r', r, 'rm', member)
  if place(id, q, pr, r, member) then
    redis.call('SADD', QNAMES, q)
    redis.call('PUBLISH', WAKE, '')
  end
  redis.call('HINCRBY', COUNTS, 'q', 1)
end
`;
