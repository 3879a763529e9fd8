import { readScript, writeScript } from '../client/lua-script.js';
import { QUEUE_LUA } from './queue-lua.js';

/**
 * Maintenance of a queue surface (structures in queue-lua.ts): the reaper's two steps, a read of the
 * expired attempts of every worker, from the running set by lease end, and a conditional write of
 * what core decided for each; and retention's prune of finished tasks, from the finished set `qf`.
 */

/**
 * ARGV from A[5]: how many at most. Reply: `{NOW, how many ids it read, {id, token, startedAt, leaseExpiresAt, attempts,
 * maxAttempts, cancelRequested 1|0}…}` for the running attempts whose lease ended by NOW (a lease
 * never ends after start + maxRuntimeMs, so the overdue ones are among them), earliest first.
 */
export const QUEUE_REAP_READ = readScript(
  'queue-reap-read',
  `${QUEUE_LUA}
local ids = redis.call('ZRANGEBYSCORE', RUNNING, '-inf', NOW, 'LIMIT', 0, tonumber(A[5]))
local out = {NOW, #ids}
for _, id in ipairs(ids) do
  local t = redis.call('HMGET', TASK .. id, 'tk', 'st', 'l', 'a', 'm', 'c', 's')
  if t[7] == 'running' then
    out[#out + 1] = {id, t[1], tonumber(t[2]), tonumber(t[3]), tonumber(t[4]), tonumber(t[5]), t[6] == '1' and 1 or 0}
  end
end
return out
`,
);

/**
 * ARGV from A[5]: maxRuntimeMs (empty: none), attemptHistory, n, then per attempt task id, token,
 * outcome (`lost` or `timed-out`), error, next state (`queued`, `failed` or `canceled`), delay,
 * and the cancel request (1|0) the decision saw.
 *
 * Each attempt is re-judged as the script runs: it must still be the task's running attempt (same
 * token), reapable by core's reapAttempt (mirrored: timed-out once NOW >= start + maxRuntimeMs,
 * else lost once NOW >= lease end) with the outcome decided, and its cancel request unchanged.
 * Reply per attempt: 1 applied (ended, counted, its task moved on), 0 not reapable any more (ended
 * or renewed meanwhile, perhaps by another reaper), 2 reapable but changed (decide again).
 */
export const QUEUE_REAP_APPLY = writeScript(
  'queue-reap-apply',
  `${QUEUE_LUA}
local max = sp_num(sp_opt(A[5]))
local keep = tonumber(A[6])
local n = tonumber(A[7])
local out = {}
for i = 1, n do
  local o = 7 + (i - 1) * 7
  local id = A[o + 1]
  local key = TASK .. id
  local t = redis.call('HMGET', key, 's', 'tk', 'l', 'a', 'q', 'w', 'st', 'c', 'pr')
  local verdict = 0
  if t[1] == 'running' and t[2] == A[o + 2] then
    local outcome
    if max and NOW >= tonumber(t[7]) + max then outcome = 'timed-out'
    elseif NOW >= tonumber(t[3]) then outcome = 'lost' end
    if outcome then
      if outcome ~= A[o + 3] or (t[8] == '1' and '1' or '0') ~= A[o + 7] then verdict = 2
      else
        verdict = 1
        push_history(id, t[4], t[6], t[7], outcome, A[o + 4], keep)
        stop_running(key, id, t[5])
        redis.call('HINCRBY', COUNTS, 'l', 1)
        local next = A[o + 5]
        if next == 'queued' then requeue(key, id, t[5], tonumber(t[9]), NOW + tonumber(A[o + 6]))
        else
          finished(key, id, next)
          redis.call('HINCRBY', COUNTS, next == 'failed' and 'f' or 'c', 1)
        end
      end
    end
  end
  out[i] = verdict
end
return out
`,
);

/**
 * ARGV from A[5]: the most tasks to remove, the retention `finishedMs`. Core's
 * finishedRetentionCutoff mirrored: takes the oldest finished tasks whose finish instant is at or
 * before NOW - finishedMs (`ZRANGEBYSCORE qf -inf cutoff LIMIT 0 limit`) and removes each with its
 * hash (result included), its history and its idempotency key, the key only while it still names
 * this task; the counters are totals and stay as they are (QUE-038). A member whose task is not in
 * a terminal state (which no script leaves) is only taken out of the set: a queued or running task
 * is never removed (QUE-037). Idempotent: a second run finds the removed ones gone from the set.
 * Reply: how many members it took out of the set (fewer than the limit: none else is due).
 */
export const QUEUE_PRUNE = writeScript(
  'queue-prune',
  `${QUEUE_LUA}
local limit = tonumber(A[5])
local cutoff = NOW - tonumber(A[6])
local ids = redis.call('ZRANGEBYSCORE', FINISHED, '-inf', int(cutoff), 'LIMIT', 0, limit)
for _, id in ipairs(ids) do
  local key = TASK .. id
  local t = redis.call('HMGET', key, 's', 'k')
  if t[1] == 'succeeded' or t[1] == 'failed' or t[1] == 'canceled' then
    redis.call('DEL', key, HIST .. id)
    if t[2] and redis.call('HGET', IDEM, t[2]) == id then redis.call('HDEL', IDEM, t[2]) end
  end
end
if #ids > 0 then chunked('ZREM', FINISHED, ids, 500) end
return #ids
`,
);
