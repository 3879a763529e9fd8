import { KitSetupError, type ConformanceKit } from '@stateproof/conformance';
import { REDIS_MUTANTS } from './redis-mutants.js';
import { RedisServer } from './redis-server.js';
import { redisTarget } from './redis-target.js';

/**
 * The Redis adapter's conformance kit: its target on --url (or STATEPROOF_REDIS_URL, default
 * redis://127.0.0.1:6379), or, for backend kills and durable runs, on a redis-server of its own that
 * it starts (temp dir, AOF with fsync at every write) and the harness may kill. The shared server is
 * never killed, flushed or reconfigured.
 */
export const redisKit: ConformanceKit = {
  name: 'redis',
  description:
    'the Redis adapter on --url or $STATEPROOF_REDIS_URL (shared-durable under AOF appendfsync always); with --kill-backend on a redis-server of its own',
  ownServer: true,
  urlEnvironment: 'STATEPROOF_REDIS_URL',
  async target(settings) {
    if (!settings.ownServer) return redisTarget(settings.url === undefined ? {} : { url: settings.url });
    let server: RedisServer;
    try {
      server = await RedisServer.start();
    } catch (error) {
      throw new KitSetupError(
        `--own-server and --kill-backend need a redis-server of the harness's own, and none could be started: ${(error as Error).message}`,
        'Install the Redis server (redis-server) or point STATEPROOF_REDIS_BIN at it. The shared server is never killed.',
      );
    }
    return redisTarget({ url: server.url, server });
  },
  mutants: REDIS_MUTANTS,
};
