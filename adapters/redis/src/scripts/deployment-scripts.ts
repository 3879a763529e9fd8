import { writeScript } from '../client/lua-script.js';

/**
 * The deployment fingerprint registry: one hash per app and deployment, a field per live runtime
 * instance holding `<expiresAt> <fingerprint>`. One script registers, drops expired peers and reads
 * the live ones, so of two processes starting at once the second always sees the first.
 */

/** KEYS: the deployment's hash. ARGV: instance, fingerprint, lease ms. Reply: `{instance, fingerprint, expiresAt}` of each live peer. */
export const DEPLOYMENT_REGISTER = writeScript(
  'deployment-register',
  `
local peers = {}
local expired = {}
local all = redis.call('HGETALL', K[1])
for i = 1, #all, 2 do
  local instance = all[i]
  local sp = string.find(all[i + 1], ' ', 1, true)
  local e = tonumber(string.sub(all[i + 1], 1, sp - 1))
  if NOW >= e then expired[#expired + 1] = instance
  elseif instance ~= A[1] then peers[#peers + 1] = {instance, string.sub(all[i + 1], sp + 1), e} end
end
for _, instance in ipairs(expired) do redis.call('HDEL', K[1], instance) end
redis.call('HSET', K[1], A[1], (NOW + tonumber(A[3])) .. ' ' .. A[2])
return peers
`,
);

/** KEYS: the deployment's hash. ARGV: instance. */
export const DEPLOYMENT_UNREGISTER = writeScript(
  'deployment-unregister',
  `
redis.call('HDEL', K[1], A[1])
return {'ok'}
`,
);
