import type { Clock } from '@stateproof/core/adapter-kit';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import { RedisAdapter } from '../../redis-adapter.js';
import { redisCapabilities } from '../../redis-capabilities.js';
import type { RedisAdapterOptions } from '../../redis-options.js';
import { redisTarget } from '../redis-target.js';
import { redisServerUnavailable } from '../redis-server.js';
import { ownServerTarget } from './own-server-target.js';

/**
 * How far off each "host" of the mutant is: 0.4 to 1 s, ahead or behind in turn, as hosts without NTP
 * drift. Never near zero, so that every run shows the bug (on one host it would hide).
 */
let hosts = 0;
function nextSkew(): number {
  const n = hosts++;
  return (n % 2 === 0 ? 1 : -1) * (400 + ((n * 137) % 600));
}

/**
 * Each instance (a process on its own host) judges leases and TTLs by its own clock, passed to the
 * scripts, instead of the server's `TIME`, while declaring the server clock as every instance's
 * common time: the BullMQ way ("works as long as your clocks are synchronised"). The instances'
 * clocks are off by 0.4 to 1 s, as unsynchronised hosts are; on one host the bug would hide.
 */
class ClientClockRedisAdapter extends RedisAdapter {
  override readonly capabilities = redisCapabilities({ injectableClock: false, expiryToleranceMs: 50 });
  override readonly clock: Clock | undefined = undefined;

  constructor(options: RedisAdapterOptions) {
    const skew = nextSkew();
    super({ ...options, clock: { now: () => Date.now() + skew } });
  }
}

/** The mutant's target, on a durable server of its own; the injected clock of the suite is ignored (it has its own). */
function clientClockTarget(): ConformanceTarget {
  return ownServerTarget('mutant:redis-claim-client-clock', (url) => {
    const real = redisTarget({ url, adapter: ClientClockRedisAdapter });
    return {
      ...real,
      name: 'mutant:redis-claim-client-clock',
      // It claims the server clock; the suite must not hand it a manual one.
      clockInjection: false,
      create: (o) => real.create({ ...o, injectClock: false }),
    };
  });
}

/** Mutants whose bug is the clock they judge by. */
export const REDIS_CLIENT_CLOCK_MUTANTS: readonly Mutant[] = [
  {
    name: 'redis-claim-client-clock',
    kind: 'claim',
    bug: "judges leases by each client's clock passed to the scripts instead of the server's TIME: hosts whose clocks differ see a lease end at different instants",
    breaks: ['CLM-002', 'CLM-006'],
    properties: ['claim/expiry-tolerance', 'claim/renew-tolerance'],
    target: clientClockTarget,
    unavailable: () => redisServerUnavailable(),
  },
];
