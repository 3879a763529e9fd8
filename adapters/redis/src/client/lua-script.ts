import { createHash } from 'node:crypto';

/**
 * One Lua script of the adapter's library: a whole operation, run atomically on the server.
 *
 * Redis does not roll a script back: writes made before a runtime error stay. Every script of the
 * library therefore makes all of its checks before its first write, and reports a refused
 * operation as a reply (`{'conflict', …}`, `{'lease-lost', …}`), never as an error raised after a
 * write.
 */
export interface LuaScript {
  /** The script's name, e.g. `record-put`. */
  readonly name: string;
  /** The full source as sent with EVAL (shebang and prologue included). */
  readonly lua: string;
  /** SHA-1 of {@link lua}, for EVALSHA. */
  readonly sha: string;
  /** True for scripts that only read (`flags=no-writes`): they carry no operation id and run again freely. */
  readonly readOnly: boolean;
}

/**
 * Helpers every script gets. `sp_now` is the server clock (`TIME`), unless the caller passed an
 * instant in the clock-override argument, which only tests do (an injected clock; production
 * passes the empty string). Expiry instants are exclusive: a lease or TTL ending at `e` is live
 * while `now < e`, so the contract's boundary never rests on Redis's own key expiry (`now > when`).
 */
const PROLOGUE = `
local function sp_time()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function sp_num(v) if v == false or v == nil then return nil end return tonumber(v) end
local function sp_opt(v) if v == nil or v == '' then return nil end return v end
`;

/**
 * A write script. Its arguments arrive shifted, as `K` and `A`:
 *
 * - `KEYS[1]` is the operation's reply key and `ARGV[1]` its time to live: a script that finds a
 *   reply there returns it without running again, so a write retried after an unknown outcome (the
 *   connection broke before the reply) is applied once; otherwise it stores its reply there;
 * - `ARGV[2]` is the clock override (see PROLOGUE);
 * - `K` are `KEYS[2..]` and `A` are `ARGV[3..]`; `NOW` is read once, before the body runs.
 *
 * The body is Lua that returns a reply table (an array; strings and integers).
 */
export function writeScript(name: string, body: string): LuaScript {
  const lua = `#!lua
${PROLOGUE}
local prior = redis.call('GET', KEYS[1])
if prior then return cmsgpack.unpack(prior) end
local K = {}
for i = 2, #KEYS do K[i - 1] = KEYS[i] end
local A = {}
for i = 3, #ARGV do A[i - 2] = ARGV[i] end
local NOW = sp_num(sp_opt(ARGV[2])) or sp_time()
local function body()
${body}
end
local reply = body()
redis.call('SET', KEYS[1], cmsgpack.pack(reply), 'PX', ARGV[1])
return reply
`;
  return { name, lua, sha: sha1(lua), readOnly: false };
}

/**
 * A read-only script (`flags=no-writes`). `ARGV[1]` is the clock override; `K` are the KEYS and `A`
 * are `ARGV[2..]`; `NOW` is read once.
 */
export function readScript(name: string, body: string): LuaScript {
  const lua = `#!lua flags=no-writes
${PROLOGUE}
local K = KEYS
local A = {}
for i = 2, #ARGV do A[i - 1] = ARGV[i] end
local NOW = sp_num(sp_opt(ARGV[1])) or sp_time()
${body}
`;
  return { name, lua, sha: sha1(lua), readOnly: true };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
