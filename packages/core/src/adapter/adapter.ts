import type { AdapterCapabilitiesDocument, DurabilityClass, ProbeResultDocument } from '@stateproof/spec';
import type { Clock } from '../time/clock.js';
import type { ChannelStore } from './channel-store.js';
import type { ClaimStore } from './claim-store.js';
import type { DataspaceStore } from './dataspace-store.js';
import type { LogStore } from './log-store.js';
import type { QueueStore } from './queue-store.js';
import type { RecordStore } from './record-store.js';
import type {
  ChannelBinding,
  ClaimBinding,
  DataspaceBinding,
  LogBinding,
  QueueBinding,
  RecordBinding,
} from './surface-binding.js';

/** What an adapter declares: per kind, the classes it claims and its optional features. */
export type AdapterCapabilities = AdapterCapabilitiesDocument;

/** What `probe()` found in the live backend. */
export type ProbeResult = ProbeResultDocument;

/** A live runtime instance announced to the backend (see {@link DeploymentRegistry}). */
export interface DeploymentMember {
  /** The application name of the runtime scope. */
  readonly app: string;
  /** The deployment name of the runtime scope. */
  readonly deployment: string;
  /** The manifest fingerprint of the surfaces the instance runs. */
  readonly fingerprint: string;
  /** Unique per process or runtime instance. */
  readonly instance: string;
  /** When its liveness lease runs out, in ms since the epoch on the backend's clock. */
  readonly expiresAt: number;
}

/**
 * The deployment fingerprint registry: each runtime registers `{app, deployment, fingerprint}` with
 * a liveness lease and sees its live peers, so that a process whose fingerprint differs from a live
 * peer's in the same deployment can be refused.
 */
export interface DeploymentRegistry {
  /** Registers or renews `member` for `leaseMs`; returns the other live members of the same app and deployment. */
  register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]>;
  /** Removes the member (on close). */
  unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void>;
}

/**
 * A backend for stateproof surfaces. One small interface per kind, opened per surface; a kind the
 * adapter does not support has no opener, and the runtime answers STATEPROOF_UNSUPPORTED for it.
 * Everything is async, whether the driver is or not. Values cross this interface as encoded strings:
 * validation, envelopes and key scoping happen once, in core. So do closed state and feature gating:
 * core guards every store it opens (see guardAdapter), so a store never receives an operation after
 * close, nor one needing a feature its adapter does not claim.
 */
export interface Adapter {
  /** Adapter name, e.g. `memory`. */
  readonly name: string;
  /** Adapter version. */
  readonly version: string;
  /** Isolation namespace (a Postgres schema, a Redis key prefix, …): tests and tenants never see each other. */
  readonly namespace: string;
  /** Static declaration, checked both ways by the conformance suite. */
  readonly capabilities: AdapterCapabilities;
  /** The injected clock, for adapters whose backend allows one (memory, SQLite); undefined when time comes from a server. */
  readonly clock: Clock | undefined;
  /** Inspects the live backend and says which classes it can honestly certify, with reasons. */
  probe(): Promise<ProbeResult>;
  /** Opens the store of one record surface; absent when the adapter does not support records. */
  openRecord?(binding: RecordBinding): Promise<RecordStore>;
  /** Opens the store of one log surface; absent when the adapter does not support logs. */
  openLog?(binding: LogBinding): Promise<LogStore>;
  /** Opens the store of one claim surface; absent when the adapter does not support claims. */
  openClaim?(binding: ClaimBinding): Promise<ClaimStore>;
  /** Opens the store of one queue surface; absent when the adapter does not support queues. */
  openQueue?(binding: QueueBinding): Promise<QueueStore>;
  /** Opens the store of one dataspace surface; absent when the adapter does not support dataspaces. */
  openDataspace?(binding: DataspaceBinding): Promise<DataspaceStore>;
  /** Opens the store of one channel surface; absent when the adapter does not support channels. */
  openChannel?(binding: ChannelBinding): Promise<ChannelStore>;
  /** The deployment fingerprint registry, when the backend is shared by replicas. */
  readonly deployments?: DeploymentRegistry;
  /** Releases connections, timers and subscriptions. Idempotent; core refuses every later operation. */
  close(): Promise<void>;
}

/** The classes an adapter claims for `kind` (empty when it does not support the kind). */
export function claimedClasses(
  capabilities: AdapterCapabilities,
  kind: keyof AdapterCapabilities['kinds'],
): readonly DurabilityClass[] {
  return capabilities.kinds[kind]?.classes ?? [];
}
