import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { QueueBinding, QueueStore } from '@stateproof/core';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import { SqliteQueueStore } from '../../stores/sqlite-queue-store.js';

/** The SQLite adapter whose claim of a surface without per-queue limits orders by `order`. */
function orderedAdapter(order: string): typeof SqliteAdapter {
  class WrongOrderStore extends SqliteQueueStore {
    protected override claimOrder(): string {
      return order;
    }
  }
  return class extends SqliteAdapter {
    override async openQueue(binding: QueueBinding): Promise<QueueStore> {
      await super.openQueue(binding);
      return new WrongOrderStore(this.ctx, binding);
    }
  };
}

/** A target of the adapter with claim order `order`, over a new temp file. */
function orderTarget(name: string, order: string): ConformanceTarget {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-order-sqlite-'));
  const file = join(dir, 'order.db');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const Adapter = orderedAdapter(order);
  return {
    name: `mutant:${name}`,
    create: ({ namespace, clock }) => new Adapter({ path: file, namespace, clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path: file, namespace }),
  };
}

// Each orders the plain claim statement (no concurrency limits) wrongly; the limited one stays right.
const ORDERS = [
  ['sqlite-claim-order-ignores-priority', 'run_at, seq', 'the claim without limits ignores priority'],
  [
    'sqlite-claim-order-due-before-priority',
    'run_at, priority DESC, seq',
    'the claim without limits orders by due time before priority',
  ],
  [
    'sqlite-claim-order-newest-first',
    'priority DESC, run_at, seq DESC',
    'the claim without limits takes the newest of equal tasks first',
  ],
] as const;

/** SQLite mutants whose claim statement of a surface without limits takes tasks out of contract order. */
export const SQLITE_QUEUE_ORDER_MUTANTS: readonly Mutant[] = ORDERS.map(([name, order, bug]) => ({
  name,
  kind: 'queue',
  bug: `${bug} (ORDER BY ${order})`,
  breaks: ['QUE-005'],
  target: () => orderTarget(name, order),
}));
