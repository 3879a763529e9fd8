import { writeScript } from '../client/lua-script.js';
import { QUEUE_LUA } from './queue-lua.js';

/**
 * The writes of a running attempt (structures in queue-lua.ts): each is compare-and-set on the
 * attempt's token, with the lease judged by NOW as the script runs (`refusal`, core's attemptLost
 * mirrored), and changes nothing when refused. A refusal is the reply `{'refused', …}`, which the
 * store turns into core's error.
 */

/**
 * ARGV from A[5]: task id, token, leaseMs, maxRuntimeMs (empty: none). Extends the lease to core's
 * attemptLeaseEnd(startedAt, NOW, leaseMs, maxRuntimeMs). Reply: `{'ok', leaseExpiresAt,
 * cancelRequested 1|0}` or a refusal.
 */
export const QUEUE_HEARTBEAT = writeScript(
  'queue-heartbeat',
  `${QUEUE_LUA}
local key = TASK .. A[5]
local t = redis.call('HMGET', key, 's', 'tk', 'l', 'a', 'st', 'c')
local refused = refusal(t, A[6])
if refused then return refused end
local lease = NOW + tonumber(A[7])
local max = sp_num(sp_opt(A[8]))
if max then lease = math.min(lease, tonumber(t[5]) + max) end
redis.call('HSET', key, 'l', lease)
redis.call('ZADD', RUNNING, lease, A[5])
return {'ok', lease, t[6] == '1' and 1 or 0}
`,
);

/**
 * ARGV from A[5]: n, then per completion task id, token, `1` with a result or `0`, result. Each
 * completion is judged on its own token, in order (a second one of the same attempt finds the task
 * succeeded); a valid one makes the task succeeded, its attempt staying in the hash's fields, and
 * lists it in the finished set.
 * Reply: per completion `{'ok'}` or a refusal.
 */
export const QUEUE_COMPLETE = writeScript(
  'queue-complete',
  `${QUEUE_LUA}
local n = tonumber(A[5])
local out, done, fin, per_q = {}, {}, {}, {}
for i = 1, n do
  local o = 5 + (i - 1) * 4
  local id = A[o + 1]
  local key = TASK .. id
  local t = redis.call('HMGET', key, 's', 'tk', 'l', 'a', 'q')
  local refused = refusal(t, A[o + 2])
  if refused then out[i] = refused
  else
    if A[o + 3] == '1' then redis.call('HSET', key, 's', 'succeeded', 'f', NOW, 'res', A[o + 4])
    else redis.call('HSET', key, 's', 'succeeded', 'f', NOW) end
    redis.call('HDEL', key, 'tk', 'l')
    done[#done + 1] = id
    fin[#fin + 1] = NOW
    fin[#fin + 1] = id
    per_q[t[5]] = (per_q[t[5]] or 0) + 1
    out[i] = {'ok'}
  end
end
if #done > 0 then
  chunked('ZREM', RUNNING, done, 1000)
  chunked('ZADD', FINISHED, fin, 1000)
  for q, c in pairs(per_q) do redis.call('HINCRBY', RUNQ, q, -c) end
  redis.call('HINCRBY', COUNTS, 's', #done)
end
return out
`,
);

/**
 * ARGV from A[5]: task id, token, error, what core's retryDecision made of the attempt the token
 * names (`queued` or `failed`), its delay, attemptHistory. The token fixes the attempt and the
 * maximum the decision was made on. Ends the attempt as failed with the error, then queues the task
 * again due at NOW + delay, or fails it. Reply: `{'queued', runAt}`, `{'failed'}` or a refusal.
 */
export const QUEUE_FAIL = writeScript(
  'queue-fail',
  `${QUEUE_LUA}
local id = A[5]
local key = TASK .. id
local t = redis.call('HMGET', key, 's', 'tk', 'l', 'a', 'q', 'w', 'st', 'pr')
local refused = refusal(t, A[6])
if refused then return refused end
push_history(id, t[4], t[6], t[7], 'failed', A[7], tonumber(A[10]))
stop_running(key, id, t[5])
redis.call('HSET', key, 'err', A[7])
if A[8] == 'queued' then
  local r = NOW + tonumber(A[9])
  requeue(key, id, t[5], tonumber(t[8]), r)
  return {'queued', r}
end
finished(key, id, 'failed')
redis.call('HINCRBY', COUNTS, 'f', 1)
return {'failed'}
`,
);

/**
 * ARGV from A[5]: task id, token, attemptHistory. With a cancel request, ends the attempt as
 * canceled and the task with it. Reply: `{'ok'}`, `{'no-request'}` (nothing changed) or a refusal.
 */
export const QUEUE_ACKNOWLEDGE_CANCEL = writeScript(
  'queue-acknowledge-cancel',
  `${QUEUE_LUA}
local id = A[5]
local key = TASK .. id
local t = redis.call('HMGET', key, 's', 'tk', 'l', 'a', 'q', 'w', 'st', 'c')
local refused = refusal(t, A[6])
if refused then return refused end
if t[8] ~= '1' then return {'no-request'} end
push_history(id, t[4], t[6], t[7], 'canceled', nil, tonumber(A[7]))
stop_running(key, id, t[5])
finished(key, id, 'canceled')
redis.call('HINCRBY', COUNTS, 'c', 1)
return {'ok'}
`,
);
