import {
  casConflict,
  compareKeys,
  prefixUpperBound,
  recordTtl,
  type CasCondition,
  type ProjectionCommit,
  type ProjectionRecordWrite,
  type RecordBinding,
  type RecordEntry,
  type RecordListOptions,
  type RecordPutOptions,
  type RecordStore,
} from '@stateproof/core/adapter-kit';
import { PROJECTION_CURSOR } from '../scripts/projection-scripts.js';
import {
  RECORD_APPLY_PROJECTION,
  RECORD_DELETE,
  RECORD_GET,
  RECORD_LIST,
  RECORD_PRUNE,
  RECORD_PUT,
} from '../scripts/record-scripts.js';
import { settleProjectionReply } from './redis-projection-reply.js';
import type { RedisStoreContext } from './redis-store-context.js';

type Reply = Array<string | number | null>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Records in Redis (spec/contract/record.md; structures in record-scripts.ts). Every operation is
 * one script: a put or delete checks its condition against the live record and writes in the same
 * atomic step, so it is applied whole or not at all.
 */
export class RedisRecordStore implements RecordStore {
  /** The scripts of each operation: a seam for the conformance kit's mutants, which swap one for a broken one. */
  protected scripts = {
    get: RECORD_GET,
    put: RECORD_PUT,
    delete: RECORD_DELETE,
    list: RECORD_LIST,
    prune: RECORD_PRUNE,
    applyProjection: RECORD_APPLY_PROJECTION,
    projectionCursor: PROJECTION_CURSOR,
  };
  private readonly index: string;
  private readonly expiring: string;
  protected readonly recordPrefix: string;
  private readonly versions: string;
  /** The committed cursor, when the surface is a derived projection. */
  private readonly cursor: string;

  constructor(
    protected readonly ctx: RedisStoreContext,
    private readonly binding: RecordBinding,
  ) {
    this.index = ctx.keys.fixed('ri');
    this.expiring = ctx.keys.fixed('rx');
    this.recordPrefix = ctx.keys.prefix('r');
    this.versions = ctx.ns.fixed('ns:record-versions');
    this.cursor = ctx.keys.fixed('prj');
  }

  private hash(key: string): string {
    return this.recordPrefix + key;
  }

  async get(key: string): Promise<RecordEntry | null> {
    const r = (await this.ctx.runner.read(this.scripts.get, 'reading a record', [this.hash(key)], [])) as Reply | null;
    if (!r) return null;
    return { key, value: String(r[0]), version: Number(r[1]), expiresAt: num(r[2]) };
  }

  async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    const condition: CasCondition = {
      ...(options.ifVersion !== undefined ? { ifVersion: options.ifVersion } : {}),
      ...(options.ifAbsent ? { ifAbsent: true } : {}),
    };
    const mode =
      options.ifAbsent && options.ifVersion !== undefined
        ? 'both'
        : options.ifAbsent
          ? 'absent'
          : options.ifVersion !== undefined
            ? 'version'
            : 'any';
    const ttl = recordTtl(options, this.binding);
    const r = (await this.ctx.runner.write(
      this.scripts.put,
      'writing a record',
      [this.hash(key), this.index, this.expiring, this.versions],
      [key, value, mode, options.ifVersion ?? '', ttl ?? '', this.recordPrefix, this.ctx.serverExpiry ? '1' : '0'],
    )) as Reply;
    if (r[0] === 'conflict') throw casConflict(key, condition, num(r[1]));
    return { version: Number(r[1]), expiresAt: num(r[2]) };
  }

  async prune(limit: number): Promise<number> {
    const n = await this.ctx.runner.write(
      this.scripts.prune,
      'pruning expired records',
      [this.index, this.expiring],
      [this.recordPrefix, limit],
    );
    return Number(n);
  }

  async delete(key: string, options: { readonly ifVersion?: number } = {}): Promise<boolean> {
    const r = (await this.ctx.runner.write(
      this.scripts.delete,
      'deleting a record',
      [this.hash(key), this.index, this.expiring],
      [key, options.ifVersion ?? '', this.recordPrefix],
    )) as Reply;
    if (r[0] === 'conflict') throw casConflict(key, { ifVersion: options.ifVersion as number }, num(r[1]));
    return r[0] === 'deleted';
  }

  async list(options: RecordListOptions): Promise<{ entries: RecordEntry[]; more: boolean }> {
    const { prefix, after, limit } = options;
    // Keyset cursor: strictly after `after` when it is inside the prefix's range, else from the prefix.
    const from =
      after !== undefined && compareKeys(after, prefix) >= 0 ? `(${after}` : prefix === '' ? '-' : `[${prefix}`;
    const upper = prefixUpperBound(prefix);
    const rows = (await this.ctx.runner.read(
      this.scripts.list,
      'listing records',
      [this.index],
      [from, upper === undefined ? '+' : `(${upper}`, limit, this.recordPrefix],
    )) as Reply[];
    const entries = rows.slice(0, limit).map((r) => ({
      key: String(r[0]),
      value: String(r[1]),
      version: Number(r[2]),
      expiresAt: num(r[3]),
    }));
    return { entries, more: rows.length > limit };
  }

  /** One script (RECORD_APPLY_PROJECTION): the cursor compared, the reset, the writes and the new cursor (PRJ-003). */
  async applyProjection(writes: readonly ProjectionRecordWrite[], commit: ProjectionCommit): Promise<void> {
    const ttl = this.binding.ttlMs;
    const r = (await this.ctx.runner.write(
      this.scripts.applyProjection,
      'committing a projection',
      [this.cursor, this.index, this.expiring, this.versions, ...writes.map((w) => this.hash(w.key))],
      [
        commit.from,
        commit.to,
        commit.reset ? '1' : '0',
        ttl ?? '',
        this.recordPrefix,
        this.ctx.serverExpiry ? '1' : '0',
        ...writes.flatMap((w) => (w.value === null ? [w.key, 'd', ''] : [w.key, 'p', w.value])),
      ],
    )) as Reply;
    settleProjectionReply(r, this.binding.surfaceId, commit);
  }

  async projectionCursor(): Promise<number> {
    return Number(
      await this.ctx.runner.read(this.scripts.projectionCursor, 'reading a projection cursor', [this.cursor], []),
    );
  }
}
