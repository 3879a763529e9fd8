import { Redis } from 'ioredis';
import type { LuaScript } from '@stateproof/adapter-redis';

/** One EVALSHA a client sent: the script's SHA-1, its KEYS and its ARGV, as text. */
export interface CapturedScript {
  readonly sha: string;
  readonly keys: readonly string[];
  readonly args: readonly string[];
}

/**
 * Runs `fn` while recording every EVALSHA any ioredis client of this process sends (the adapter's
 * connection is one), so that the raw side can be checked to send what the adapter sends.
 */
export async function captureScripts(fn: () => Promise<void>): Promise<CapturedScript[]> {
  const proto = Redis.prototype as unknown as { evalsha: (...args: unknown[]) => unknown };
  const had = Object.prototype.hasOwnProperty.call(proto, 'evalsha');
  const original = proto.evalsha;
  const seen: CapturedScript[] = [];
  proto.evalsha = function (this: unknown, ...args: unknown[]) {
    const [sha, numkeys, ...rest] = args.map((a) => String(a));
    const n = Number(numkeys);
    seen.push({ sha: sha as string, keys: rest.slice(0, n), args: rest.slice(n) });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    if (had) proto.evalsha = original;
    else delete (proto as { evalsha?: unknown }).evalsha;
  }
  return seen;
}

/** The one captured call of `script`; fails loudly when the adapter no longer runs it, or runs it more than once. */
export function findScript(seen: readonly CapturedScript[], script: LuaScript, what: string): CapturedScript {
  const hits = seen.filter((c) => c.sha === script.sha);
  if (hits.length !== 1)
    throw new Error(
      `redis bench: the adapter sent the ${what} script (${script.name}) ${hits.length} times, not once; update tools/bench/src/redis/record-log.ts.\n` +
        `sent: ${seen.map((c) => c.sha.slice(0, 8)).join(', ')}`,
    );
  return hits[0] as CapturedScript;
}
