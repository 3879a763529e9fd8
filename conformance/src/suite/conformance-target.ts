import type { Adapter, Clock } from '@stateproof/core';

/** What the suite passes when it needs a fresh adapter. */
export interface CreateAdapterOptions {
  /** A namespace no other run uses; the adapter must isolate everything under it. */
  readonly namespace: string;
  /**
   * A manual clock. An adapter whose capabilities declare `clock: 'injectable'` must take its time
   * from it, so that the suite can expire leases and TTLs without sleeping.
   */
  readonly clock: Clock;
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
  /** Removes whatever the namespace left in the backend (tables, keys, files). Optional. */
  dispose?(namespace: string): Promise<void> | void;
  /** Backend identity and settings for the certificate (host, version, durability settings). */
  describeBackend?(): Promise<{ name: string; version?: string; settings: Record<string, string | number | boolean | null> }>;
  /**
   * Fault injection for the "lost connections fail cleanly" requirements. Without it those checks
   * are skipped with a reason (an in-process adapter has no connection to lose).
   */
  readonly faults?: ConnectionFaults;
}

/** How the suite breaks an adapter's connections while operations are in flight. */
export interface ConnectionFaults {
  /**
   * Severs every backend connection `adapter` holds right now (for Postgres `pg_terminate_backend`,
   * for Redis `CLIENT KILL`), without closing the adapter: operations in flight must fail with the
   * retryable STATEPROOF_BACKEND_UNAVAILABLE or complete whole, and later operations must reconnect.
   */
  dropConnections(adapter: Adapter): Promise<void>;
}
