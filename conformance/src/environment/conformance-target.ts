import type { Adapter, Clock, Runtime } from '@stateproof/core';
import type { WriteDelay } from './write-delay.js';

/** What the suite passes when it needs a fresh adapter. */
export interface CreateAdapterOptions {
  /** A namespace no other run uses; the adapter must isolate everything under it. */
  readonly namespace: string;
  /**
   * A manual clock. An adapter whose capabilities declare `clock: 'injectable'` must take its time
   * from it, so that the suite can expire leases and TTLs without sleeping.
   */
  readonly clock: Clock;
  /**
   * Set only for targets that declare {@link ConformanceTarget.clockInjection}: the adapter must take
   * its time from `clock` instead of its server, for the properties that check expiry exactly.
   */
  readonly injectClock?: boolean;
  /**
   * Set only for targets that declare {@link ConformanceTarget.writeDelay}: the adapter must call it
   * inside every lease-judged write, after the write's locks and before it reads the time (see
   * {@link WriteDelay}).
   */
  readonly writeDelay?: WriteDelay;
}

/**
 * What an adapter author hands the suite (and what a module given to `stateproof conform --adapter
 * ./module.js` must export as its default export, or as a named export `target`).
 */
export interface ConformanceTarget {
  /** Shown in reports and certificates. */
  readonly name: string;
  /** Adapter version for the certificate (default: the adapter's own `version`). */
  readonly version?: string;
  /**
   * Returns a new, open adapter over the namespace. Called many times, sometimes several times for one
   * namespace at once (to act as several processes on one backend): instances on one namespace must
   * share their state, instances on different namespaces must never see each other.
   */
  create(options: CreateAdapterOptions): Promise<Adapter> | Adapter;
  /**
   * For adapters that take time from their server: true when `create` can also take it from
   * `options.clock` (when `options.injectClock` is set). The properties that check leases and expiry
   * exactly then run on an injected clock against the adapter's real statements, and every other
   * property on the server's clock; without it those properties are skipped.
   */
  readonly clockInjection?: boolean;
  /**
   * True when `create` honours `options.writeDelay`: the properties claim/lease-at-write and
   * queue/lease-at-write then make a lease expire while a renew, heartbeat or completion waits
   * inside its write, and check that it is refused (CLM-007, QUE-010). Without it they are skipped.
   */
  readonly writeDelay?: boolean;
  /** Removes whatever the namespace left in the backend (tables, keys, files). Optional. */
  dispose?(namespace: string): Promise<void> | void;
  /** Backend identity and settings for the certificate (host, version, durability settings). */
  describeBackend?(): Promise<{
    /** The backend's name, e.g. `postgres`. */
    name: string;
    /** Its version, when known. */
    version?: string;
    /** The settings that bear on durability. */
    settings: Record<string, string | number | boolean | null>;
  }>;
  /**
   * Fault injection for the "lost connections fail cleanly" requirements. Without it those checks
   * are skipped with a reason (an in-process adapter has no connection to lose).
   */
  readonly faults?: ConnectionFaults;
  /**
   * How a child process re-creates this target, for the crash harness (`stateproof crash`), which
   * kills worker processes with SIGKILL. Without it the process-crash checks are skipped.
   */
  readonly spawn?: TargetSpawn;
  /** Control of a harness-owned backend server, for the backend-crash checks (`--kill-backend`). */
  readonly server?: ServerControl;
  /**
   * For mutants of the runtime's own part of a class (telemetry's emit buffer lives in core, not in
   * an adapter): the properties get this instead of each runtime the fixture opened. An adapter's
   * target leaves it out.
   */
  wrapRuntime?(runtime: Runtime): Runtime;
}

/**
 * A recipe a child process follows to build the same target: `import(module)`, take `export` (default
 * `target`, then the default export), and if it is a function call it with `args`. `module` must be
 * importable by plain Node (a package specifier or a file URL of built JavaScript).
 */
export interface TargetSpawn {
  /** The module to import: a package specifier or a file URL of built JavaScript. */
  readonly module: string;
  /** The export to take (default `target`, then the default export). */
  readonly export?: string;
  /** JSON arguments for a factory export (a file path, a URL). */
  readonly args?: unknown;
}

/** Kills and restarts the backend server the target runs against (a harness-owned one, never a shared service). */
export interface ServerControl {
  /** SIGKILL of the server and all its processes; resolves once they are gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops it for good and removes its data (after the run). */
  stop?(): Promise<void>;
}

/**
 * How the suite breaks an adapter's connections while operations are in flight, and checks that it
 * did. Both members are required: a fault the suite cannot verify is not trusted, so a target with
 * `dropConnections` but no `connectionIdentity` fails the connection-loss properties with a message
 * saying to add it.
 */
export interface ConnectionFaults {
  /**
   * Severs every backend connection `adapter` holds right now (for Postgres `pg_terminate_backend`,
   * for Redis `CLIENT KILL`), without closing the adapter: operations in flight must fail with the
   * retryable STATEPROOF_BACKEND_UNAVAILABLE or complete whole, and later operations must reconnect.
   */
  dropConnections(adapter: Adapter): Promise<void>;
  /**
   * The backend connections `adapter` holds right now that the backend still has open, one
   * identifier each, as the backend knows them (for Postgres `pid@backend_start` from
   * pg_stat_activity, for Redis the `CLIENT ID`). An identifier must never be reused for another
   * connection during a run. The suite reads it just before `dropConnections` and again after the
   * adapter reconnected: when an identifier from before is still there (or the adapter held none and
   * no operation saw the loss) the property fails with "fault not injected".
   */
  connectionIdentity(adapter: Adapter): Promise<readonly string[]>;
}
