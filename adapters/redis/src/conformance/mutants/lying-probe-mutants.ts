import type { ProbeResult } from '@stateproof/core';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { RedisAdapter } from '../../redis-adapter.js';
import { redisTarget } from '../redis-target.js';
import { redisServerUnavailable } from '../redis-server.js';
import { ownServerTarget } from './own-server-target.js';

// Crash workers import this module again, from the build.
const BUILT_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/conformance/mutants/lying-probe-mutants.js', import.meta.url).href
  : import.meta.url;

/**
 * The Redis adapter on a server without persistence (`appendonly no`, no snapshots) whose probe
 * reports `appendonly yes` and `appendfsync always` and certifies every class: what an adapter
 * that trusts a configuration file instead of the live server would say. A kill of the server loses
 * every acknowledged write, and counters start again at zero.
 */
class LyingProbeRedisAdapter extends RedisAdapter {
  override async probe(): Promise<ProbeResult> {
    const honest = await super.probe();
    return {
      ...honest,
      settings: { ...honest.settings, appendonly: 'yes', appendfsync: 'always' },
      classes: honest.classes.map((c) => ({
        ...c,
        certified: true,
        reasons: ['appendonly=yes, appendfsync=always (claimed)'],
      })),
    };
  }
}

/** The lying adapter over the server at `url` (what a crash worker builds: it never owns the server). */
export function lyingProbeRedisTarget(args: { url: string }): ConformanceTarget {
  return {
    ...redisTarget({ url: args.url, adapter: LyingProbeRedisAdapter }),
    name: 'mutant:redis-appendonly-no-lying-probe',
    spawn: { module: BUILT_MODULE, export: 'lyingProbeRedisTarget', args: { url: args.url } },
  };
}

/** Mutants whose bug is a false durability claim, caught only by killing the server. */
export const REDIS_LYING_PROBE_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-appendonly-no-lying-probe',
    kind: 'record',
    bug: 'runs on a server with appendonly no while its probe reports appendonly yes, appendfsync always and certifies shared-durable: a kill of the server loses every acknowledged write',
    breaks: ['REC-032'],
    target: () =>
      ownServerTarget('mutant:redis-appendonly-no-lying-probe', (url) => lyingProbeRedisTarget({ url }), {
        appendonly: 'no',
      }),
    suite: false,
    // One backend kill after the second worker kill already loses everything written before it.
    crash: { kinds: ['record'], kills: 3, killBackend: true },
    unavailable: () => redisServerUnavailable(),
  },
];
