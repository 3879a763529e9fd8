import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceTarget, Mutant } from '@stateproof/conformance';
import type { RecordBinding, RecordStore } from '@stateproof/core/adapter-kit';
import { dropSqliteNamespace } from '../../schema/drop-namespace.js';
import { SqliteAdapter } from '../../sqlite-adapter.js';
import { SqliteRecordStore } from '../../stores/sqlite-record-store.js';

/** A record store that keeps a record live at its expiry instant: `>=` where the contract says `>`. */
class InclusiveExpiryRecordStore extends SqliteRecordStore {
  protected override liveCondition(): string {
    return '(expires_at IS NULL OR expires_at >= ?)';
  }
}

/** The SQLite adapter with that record store. */
class InclusiveExpirySqliteAdapter extends SqliteAdapter {
  override async openRecord(binding: RecordBinding): Promise<RecordStore> {
    return new InclusiveExpiryRecordStore(this.ctx, binding);
  }
}

/** The broken adapter as a target over a new temp file (removed when the process exits). */
export function inclusiveExpirySqliteTarget(): ConformanceTarget {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-sqlite-expiry-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'mutant.db');
  return {
    name: 'mutant:sqlite-record-live-at-expiry-instant',
    create: ({ namespace, clock }) => new InclusiveExpirySqliteAdapter({ path, namespace, clock }),
    dispose: (namespace) => void dropSqliteNamespace({ path, namespace }),
  };
}

/** Mutants of the SQLite record store's expiry, caught at the exact instant (record/expiry-boundary, record/model). */
export const RECORD_EXPIRY_MUTANTS: readonly Mutant[] = [
  {
    name: 'sqlite-record-live-at-expiry-instant',
    kind: 'record',
    bug: 'the record statements keep a record live while expires_at >= now instead of > now: at exactly expiresAt get still returns it, list shows it, ifAbsent conflicts, ifVersion and delete still act',
    breaks: ['REC-007', 'REC-018'],
    target: inclusiveExpirySqliteTarget,
  },
];
