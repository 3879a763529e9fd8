import type { SurfaceKind } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import type { ChannelStore } from '../adapter/channel-store.js';
import type { ClaimStore } from '../adapter/claim-store.js';
import type { DataspaceStore } from '../adapter/dataspace-store.js';
import type { LogStore } from '../adapter/log-store.js';
import type { QueueStore } from '../adapter/queue-store.js';
import type { RecordStore } from '../adapter/record-store.js';
import type { AnyBinding } from '../adapter/surface-binding.js';
import { ClosedGate } from './closed-gate.js';
import { GuardedChannelStore } from './guarded-channel-store.js';
import { GuardedClaimStore } from './guarded-claim-store.js';
import { GuardedDataspaceStore } from './guarded-dataspace-store.js';
import { GuardedDeploymentRegistry } from './guarded-deployment-registry.js';
import { GuardedLogStore } from './guarded-log-store.js';
import { GuardedQueueStore } from './guarded-queue-store.js';
import { GuardedRecordStore } from './guarded-record-store.js';
import { StoreGuard } from './store-guard.js';

/** The kind each opener opens, by the adapter method's name (a Map: no inherited names). */
const OPENED_KIND: ReadonlyMap<PropertyKey, SurfaceKind> = new Map<PropertyKey, SurfaceKind>([
  ['openRecord', 'record'],
  ['openLog', 'log'],
  ['openClaim', 'claim'],
  ['openQueue', 'queue'],
  ['openDataspace', 'dataspace'],
  ['openChannel', 'channel'],
]);

/** The store interface of each kind. */
interface StoreByKind {
  readonly record: RecordStore;
  readonly log: LogStore;
  readonly claim: ClaimStore;
  readonly queue: QueueStore;
  readonly dataspace: DataspaceStore;
  readonly channel: ChannelStore;
}

/** The guarded store class of each kind. */
const GUARDED: { readonly [K in SurfaceKind]: new (store: StoreByKind[K], guard: StoreGuard) => StoreByKind[K] } = {
  record: GuardedRecordStore,
  log: GuardedLogStore,
  claim: GuardedClaimStore,
  queue: GuardedQueueStore,
  dataspace: GuardedDataspaceStore,
  channel: GuardedChannelStore,
};

/** Wraps a store the adapter opened for `kind` in the guarded store of that kind. */
function guardStore<K extends SurfaceKind>(kind: K, store: StoreByKind[K], guard: StoreGuard): StoreByKind[K] {
  const Guarded = GUARDED[kind];
  return new Guarded(store, guard);
}

/**
 * The adapter as core hands it out: the same object in every other respect (its own members, its
 * class for `instanceof`), but every store it opens is guarded, and so is its deployment registry.
 * Once `gate` closes — when the view's `close()` is called (the gate then names the adapter), or the
 * runtime that owns the gate closes it — every operation of those stores, and `probe()` and every
 * opener, fails with ClosedError before the adapter sees it; an operation needing an optional
 * feature the adapter does not claim in its capabilities fails with UnsupportedError. So an adapter
 * never checks its own closed state per operation, nor refuses a feature it does not claim: it only
 * releases its connections, timers and subscriptions when closed.
 */
export function guardAdapter<A extends Adapter>(adapter: A, gate: ClosedGate = new ClosedGate()): A {
  const closedName = `${adapter.name} adapter`;
  const features = (kind: SurfaceKind) => (adapter.capabilities.kinds[kind]?.features ?? {}) as Record<string, boolean>;
  const deployments = adapter.deployments && new GuardedDeploymentRegistry(adapter.deployments, gate);
  return new Proxy(adapter, {
    get(target, property) {
      if (property === 'deployments') return deployments;
      if (property === 'close') {
        return async () => {
          gate.close(closedName);
          await target.close();
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'probe') {
        return async () => {
          gate.assertOpen();
          return target.probe();
        };
      }
      const kind = OPENED_KIND.get(property);
      // Bound, so that a method reading private state runs on the adapter itself, never on the view.
      if (kind === undefined) return property === 'constructor' ? value : value.bind(target);
      return async (binding: AnyBinding) => {
        gate.assertOpen();
        // The opener of `kind` resolves to the store of that kind (the Adapter interface says so).
        const store = (await value.call(target, binding)) as StoreByKind[typeof kind];
        return guardStore(
          kind,
          store,
          new StoreGuard(gate, kind, features(kind), adapter.name, adapter.capabilities.kinds[kind]?.classes ?? []),
        );
      };
    },
  });
}
