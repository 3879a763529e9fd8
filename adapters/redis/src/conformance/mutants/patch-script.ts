import { createHash } from 'node:crypto';
import type { LuaScript } from '../../client/lua-script.js';

/**
 * `script` with one bug planted: each `[from, to]` replaced once in its source, under a new name
 * and SHA. Throws when a `from` is not there, since a mutant that plants nothing would pass as the
 * real adapter and look like a suite that misses it.
 */
export function patchScript(
  script: LuaScript,
  name: string,
  ...edits: ReadonlyArray<readonly [string, string]>
): LuaScript {
  let lua = script.lua;
  for (const [from, to] of edits) {
    if (!lua.includes(from))
      throw new Error(`internal: mutant ${name} finds no ${JSON.stringify(from)} in the script ${script.name}`);
    lua = lua.replace(from, to);
  }
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex'), readOnly: script.readOnly };
}
