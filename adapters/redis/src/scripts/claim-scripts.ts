import { readScript, writeScript } from '../client/lua-script.js';

/**
 * Claims (spec/contract/claim.md). Per key, one hash that is never deleted and never expires:
 * `{s: state, h: holder, n: token, e: expiresAt, a: acquiredAt, r: renewedAt, c: completedAt,
 * v: result, why: reason, x: takeovers}`. The token field is the key's fencing counter: every
 * acquisition writes it one higher and nothing else writes it, so tokens strictly increase across
 * releases, takeovers, completions and restarts (the hash is in the append-only file with the write
 * that bumped it). Once `s` is `completed` or `abandoned` no script writes the hash again.
 *
 * A lease is unexpired while `NOW < e`, judged by the script itself when it runs (never by Redis's
 * key expiry, which claims do not use).
 */

/** Every field of a claim, in the order the get reply lists them. */
const FIELDS = `'s', 'h', 'n', 'e', 'a', 'r', 'c', 'v', 'why', 'x'`;

/**
 * The holder check of the holder's writes, mirroring core's claimHolderError (with
 * claimLeaseExpired): the token is the key's latest, the claim is held, and its lease has not run
 * out at NOW. Returns nil when the write may go ahead, else the lease-lost reply
 * `{'lease-lost', state|false, token|false, expiresAt|false}` from which the caller asks core
 * (claimLeaseLost) for the reason.
 */
const HOLDER_CHECK = `
local function holder_refusal(hash, token)
  local c = redis.call('HMGET', hash, 's', 'n', 'e')
  local n = sp_num(c[2])
  local e = sp_num(c[3])
  if c[1] == 'held' and n == token and not (e ~= nil and NOW >= e) then return nil end
  return {'lease-lost', c[1] or false, n or false, e or false}
end
-- NOW, but never below the last renewal (itself never below the acquisition), so that the timestamps
-- stay ordered even when the server's clock was stepped back (CLM-010).
local function not_before_renewed(hash)
  local a = sp_num(redis.call('HGET', hash, 'r'))
  if a and a > NOW then return a end
  return NOW
end
`;

/**
 * KEYS: claim hash. ARGV: owner, leaseMs.
 * Reply: `{'acquired', token, takeover (1|0), acquiredAt, expiresAt}`, `{'held', holder, expiresAt}`,
 * `{'completed', holder, completedAt}` or `{'abandoned', holder, completedAt}`. A terminal reply
 * leaves the result or reason out: every reply is kept under its operation id for minutes, and a
 * hot idempotency key would keep a copy of a result of up to maxValueBytes per acquire. The
 * caller reads it afterwards (CLAIM_GET); a terminal claim never changes, so that read agrees.
 *
 * The decision mirrors core's decideAcquire (with claimLeaseExpired): a terminal claim answers with
 * its outcome, an unexpired lease with its holder (whoever asks, the holder included), anything else
 * is free with the token one above the key's last, and a takeover only when a held lease ran out (a
 * released claim is not taken over).
 */
export const CLAIM_ACQUIRE = writeScript(
  'claim-acquire',
  `
local c = redis.call('HMGET', K[1], 's', 'h', 'n', 'e', 'c', 'x')
local state = c[1]
if state == 'completed' or state == 'abandoned' then return {state, c[2], tonumber(c[5])} end
local e = sp_num(c[4])
local expired = e ~= nil and NOW >= e
if state == 'held' and not expired then return {'held', c[2], e or false} end
local takeover = state == 'held'
local token = (sp_num(c[3]) or 0) + 1
local takeovers = (sp_num(c[6]) or 0)
if takeover then takeovers = takeovers + 1 end
local expires = NOW + tonumber(A[2])
local now = string.format('%d', NOW)
redis.call('HSET', K[1], 's', 'held', 'h', A[1], 'n', string.format('%d', token), 'e', string.format('%d', expires),
  'a', now, 'r', now, 'x', string.format('%d', takeovers))
redis.call('HDEL', K[1], 'c', 'v', 'why')
return {'acquired', token, takeover and 1 or 0, NOW, expires}
`,
);

/** KEYS: claim hash. ARGV: token, leaseMs. Reply: `{'ok', expiresAt}` or the lease-lost reply. */
export const CLAIM_RENEW = writeScript(
  'claim-renew',
  `${HOLDER_CHECK}
local refused = holder_refusal(K[1], tonumber(A[1]))
if refused then return refused end
local expires = NOW + tonumber(A[2])
redis.call('HSET', K[1], 'r', string.format('%d', not_before_renewed(K[1])), 'e', string.format('%d', expires))
return {'ok', expires}
`,
);

/** KEYS: claim hash. ARGV: token, encoded result. Reply: `{'ok', completedAt}` or the lease-lost reply. */
export const CLAIM_COMPLETE = writeScript(
  'claim-complete',
  `${HOLDER_CHECK}
local refused = holder_refusal(K[1], tonumber(A[1]))
if refused then return refused end
local at = not_before_renewed(K[1])
redis.call('HSET', K[1], 's', 'completed', 'v', A[2], 'c', string.format('%d', at))
redis.call('HDEL', K[1], 'e')
return {'ok', at}
`,
);

/** KEYS: claim hash. ARGV: token. Reply: `{'ok'}` or the lease-lost reply. The token stays: the next acquisition counts on from it. */
export const CLAIM_RELEASE = writeScript(
  'claim-release',
  `${HOLDER_CHECK}
local refused = holder_refusal(K[1], tonumber(A[1]))
if refused then return refused end
redis.call('HSET', K[1], 's', 'released')
redis.call('HDEL', K[1], 'h', 'e')
return {'ok'}
`,
);

/** KEYS: claim hash. ARGV: token, reason. Reply: `{'ok', completedAt}` or the lease-lost reply. */
export const CLAIM_ABANDON = writeScript(
  'claim-abandon',
  `${HOLDER_CHECK}
local refused = holder_refusal(K[1], tonumber(A[1]))
if refused then return refused end
local at = not_before_renewed(K[1])
redis.call('HSET', K[1], 's', 'abandoned', 'why', A[2], 'c', string.format('%d', at))
redis.call('HDEL', K[1], 'e')
return {'ok', at}
`,
);

/**
 * KEYS: claim hash. Reply: the fields `{state, holder, token, expiresAt, acquiredAt, renewedAt,
 * completedAt, result, reason, takeovers}` (false for absent ones), or false for a key never acquired.
 */
export const CLAIM_GET = readScript(
  'claim-get',
  `
local c = redis.call('HMGET', K[1], ${FIELDS})
if not c[1] then return false end
return c
`,
);
