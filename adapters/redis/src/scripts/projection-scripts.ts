import { readScript } from '../client/lua-script.js';

/**
 * Derived projections (spec/contract/classes.md, PRJ-003). A projection's committed cursor is a
 * string key of its surface (`keys.fixed('prj')`), written only by the commit scripts of the record
 * and log stores (RECORD_APPLY_PROJECTION, LOG_APPLY_PROJECTION), which move it in the same script
 * as the writes: one atomic step, so the cursor and the writes it covers are in the append-only
 * file together or not at all.
 */

/**
 * Lua shared by the commit scripts: the compare-and-set on the cursor in `cursor_key`, and the type
 * check of a key the script will write. Both only read, and every commit script runs them before its
 * first write: Redis does not roll a script back, so a refusal after a write would leave half a commit.
 */
export const PROJECTION_HELPERS = `
-- The committed cursor when it is not the one the commit starts from (nothing may be written then), else nil.
local function cursor_moved(cursor_key, from)
  local current = sp_num(redis.call('GET', cursor_key)) or 0
  if current ~= tonumber(from) then return current end
  return nil
end
-- Whether key is absent or of the type the script writes there; a key of another type (data another
-- program wrote into the namespace) would make a write fail half-way through the commit.
local function writable(key, kind)
  local t = redis.call('TYPE', key)['ok']
  return t == 'none' or t == kind
end
`;

/** KEYS: the cursor key. Reply: the committed cursor, 0 before the first commit. */
export const PROJECTION_CURSOR = readScript(
  'projection-cursor',
  `
return sp_num(redis.call('GET', K[1])) or 0
`,
);
