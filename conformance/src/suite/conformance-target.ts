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
}
