import type { ConformanceTarget, ServerControl, TargetSpawn } from '@stateproof/conformance';
import { RedisServer } from '../redis-server.js';

/**
 * A target on a redis-server of its own, started on the first `create` (a mutant's target is made
 * synchronously) with `settings` over the durable defaults, and stopped by `server.stop()` (the
 * mutant runner stops it after the run; the crash harness may kill and restart it). Mutants run on
 * a durable server: on the shared one (no persistence) the probe refuses shared-durable and nothing
 * would run, so a bug could never be caught there.
 */
export function ownServerTarget(
  name: string,
  make: (url: string) => ConformanceTarget,
  settings: Readonly<Record<string, string>> = {},
): ConformanceTarget {
  const server = new RedisServer({ settings });
  let inner: ConformanceTarget | undefined;
  const started = async () => {
    await server.start();
    return (inner ??= make(server.url));
  };
  const control: ServerControl = {
    kill: () => server.kill(),
    restart: () => server.restart(),
    stop: () => server.stop(),
  };
  return {
    name,
    create: async (o) => (await started()).create(o),
    dispose: async (namespace) => (await started()).dispose?.(namespace),
    writeDelay: true,
    clockInjection: true,
    // Read by the harnesses after their first create, when the server's URL is known.
    get faults() {
      return inner?.faults;
    },
    get spawn(): TargetSpawn | undefined {
      return inner?.spawn;
    },
    server: control,
  };
}
