import { describe, expect, it } from 'vitest';
import { redisAdapter, resolveRedisOptions } from '@stateproof/adapter-redis';

describe('Redis adapter options', () => {
  it('fills in the defaults, the operation reply window covering every retry', () => {
    const o = resolveRedisOptions({});
    expect(o).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      namespace: 'stateproof',
      retryWindowMs: 2000,
      commandTimeoutMs: 10_000,
      operationTtlMs: 60_000,
    });
    expect(resolveRedisOptions({ commandTimeoutMs: 60_000 }).operationTtlMs).toBe(124_000);
  });

  it('refuses bad input with a typed error naming the option, never echoing a password', () => {
    const bad: Array<[unknown, string]> = [
      [{ url: 'http://example.com' }, 'url'],
      [{ url: 'redis://user:s3cret@ho st:6379' }, 'url'],
      [{ url: 42 }, 'url'],
      [{ namespace: '' }, 'namespace'],
      [{ namespace: 'a\u0000b' }, 'namespace'],
      [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
      [{ retryWindowMs: -1 }, 'retryWindowMs'],
      [{ operationTtlMs: 5000 }, 'operationTtlMs'],
      [{ clock: { now: 1 } }, 'clock'],
      [{ testHooks: { other: 1 } }, 'testHooks.other'],
      [{ urll: 'redis://x' }, 'urll'],
    ];
    for (const [options, path] of bad) {
      let error: unknown;
      try {
        redisAdapter(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toMatchObject({ code: 'STATEPROOF_INVALID_OPTIONS', path });
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
  });

  it('takes unix sockets and TLS URLs', () => {
    expect(resolveRedisOptions({ url: 'unix:///tmp/redis.sock' }).url).toBe('unix:///tmp/redis.sock');
    expect(resolveRedisOptions({ url: 'rediss://cache.example:6380/2' }).url).toBe('rediss://cache.example:6380/2');
  });
});
