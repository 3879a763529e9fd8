import { randomUUID } from 'node:crypto';
import { faultOutcomes, judgeClasses, type FaultFinding } from '@stateproof/spec';
import {
  AdapterLifecycle,
  systemClock,
  type AdapterTestHooks,
  type Adapter,
  type ChannelStore,
  type ClaimStore,
  type Clock,
  type DataspaceStore,
  type LogStore,
  type ProbeResult,
  type QueueStore,
  type RecordStore,
  type ChannelBinding,
  type ClaimBinding,
  type DataspaceBinding,
  type LogBinding,
  type QueueBinding,
  type RecordBinding,
} from '@stateproof/core/adapter-kit';
import { MemoryBackend, type MemoryNamespace } from './memory-backend.js';
import { MEMORY_ADAPTER_VERSION, MEMORY_CAPABILITIES } from './memory-capabilities.js';
import { MemoryChannelStore, newChannelSpace } from './memory-channel-store.js';
import { MemoryClaimStore, newClaimSpace } from './memory-claim-store.js';
import { MemoryDataspaceStore, newDataspaceSpace } from './memory-dataspace-store.js';
import { MemoryDeploymentRegistry, newDeploymentSpace } from './memory-deployment-registry.js';
import { MemoryLogStore, newLogSpace } from './memory-log-store.js';
import { MemoryQueueStore, newQueueSpace } from './memory-queue-store.js';
import { MemoryRecordStore, newRecordSpace } from './memory-record-store.js';

/** Options of {@link memoryAdapter}. */
export interface MemoryAdapterOptions {
  /** Isolation namespace (default `default`). */
  readonly namespace?: string;
  /** Time source; pass a ManualClock to test expiry without sleeping (default: the system clock). */
  readonly clock?: Clock;
  /** Share one backend between adapters to act as several processes on one server (default: a private one). */
  readonly backend?: MemoryBackend;
  /** Randomness of backoff jitter, in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Test seams for the conformance suite (never set in production). */
  readonly testHooks?: AdapterTestHooks;
}

/**
 * The in-process reference adapter: every kind with its full semantics, for tests, examples and
 * state that may be lost on restart. It certifies the ephemeral class only.
 */
export class MemoryAdapter implements Adapter {
  readonly name: string = 'memory';
  readonly version = MEMORY_ADAPTER_VERSION;
  readonly namespace: string;
  readonly capabilities = MEMORY_CAPABILITIES;
  readonly clock: Clock;
  readonly deployments: MemoryDeploymentRegistry;
  /** The backend this adapter reads and writes. */
  readonly backend: MemoryBackend;
  /** Closed state and the resources to release on close; protected, with the fields below, for the kit's variants. */
  protected readonly lifecycle = new AdapterLifecycle('memory adapter');
  /** This adapter's namespace in the backend. */
  protected readonly ns: MemoryNamespace;
  /** Randomness of backoff jitter. */
  protected readonly random: () => number;
  /** Test seams for the conformance suite. */
  protected readonly testHooks: AdapterTestHooks;

  constructor(options: MemoryAdapterOptions = {}) {
    this.namespace = options.namespace ?? 'default';
    this.clock = options.clock ?? systemClock;
    this.backend = options.backend ?? new MemoryBackend();
    this.random = options.random ?? Math.random;
    this.testHooks = options.testHooks ?? {};
    this.ns = this.backend.namespace(this.namespace);
    this.deployments = new MemoryDeploymentRegistry(this.ns.space('deployments', '', newDeploymentSpace), this.clock);
  }

  async probe(): Promise<ProbeResult> {
    const lost: FaultFinding = {
      outcome: 'loses-all',
      reason: 'state lives in this process only and is lost when it stops',
      fixes: [
        'use a persistent adapter: SQLite for restart-safe-local, Postgres (or Redis with AOF) for shared-durable',
      ],
    };
    const findings = { 'process-kill': lost, 'backend-kill': lost, 'os-crash': lost };
    return {
      probeVersion: 1,
      adapter: { name: this.name, version: this.version },
      backend: { name: 'memory', version: process.version },
      at: new Date(this.clock.now()).toISOString(),
      settings: { persistence: 'none', shared: 'within one process' },
      faults: faultOutcomes(findings),
      classes: judgeClasses(findings),
    };
  }

  async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new MemoryRecordStore(this.ns.space('record', binding.space, newRecordSpace), binding, this.clock);
  }

  async openLog(binding: LogBinding): Promise<LogStore> {
    return new MemoryLogStore(this.ns.space('log', binding.space, newLogSpace), binding, this.clock, this.lifecycle);
  }

  async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    return new MemoryClaimStore(
      this.ns.space('claim', binding.space, newClaimSpace),
      this.clock,
      this.testHooks.beforeLeaseJudgement,
    );
  }

  async openQueue(binding: QueueBinding): Promise<QueueStore> {
    const space = this.ns.space('queue', binding.space, newQueueSpace);
    return new MemoryQueueStore(space, this.ns, binding, this.clock, this.random, this.testHooks.beforeLeaseJudgement);
  }

  async openDataspace(binding: DataspaceBinding): Promise<DataspaceStore> {
    return new MemoryDataspaceStore(
      this.ns.space('dataspace', binding.space, newDataspaceSpace),
      this.ns,
      this.clock,
      this.lifecycle,
      binding.retention,
    );
  }

  async openChannel(binding: ChannelBinding): Promise<ChannelStore> {
    return new MemoryChannelStore(
      this.ns.space('channel', binding.space, newChannelSpace),
      `memory-${randomUUID().slice(0, 8)}`,
      this.lifecycle,
    );
  }

  async close(): Promise<void> {
    await this.lifecycle.close();
  }
}

/** Creates a memory adapter. */
export function memoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter(options);
}
