import type { RecordEntry, RecordStore } from '../../adapter/record-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { validateKey, validatePrefix } from '../../scope/validate-key.js';
import { MAX_PAGE } from '../../surface/defaults.js';
import { optionalBoolean, optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';

/** A record as a reader sees it. */
export interface RecordItem<T> {
  /** The key. */
  readonly key: string;
  /** The value, decoded. */
  readonly value: T;
  /** Backend-owned version; pass it as `ifVersion` to compare-and-set. */
  readonly version: number;
  /** When the record expires (epoch ms), or null when it does not. */
  readonly expiresAt: number | null;
}

/** Options of {@link RecordHandle.put}. */
export interface PutOptions {
  /** Write only if the current version is this one (else STATEPROOF_VERSION_CONFLICT). */
  readonly ifVersion?: number;
  /** Write only if no live record exists (else STATEPROOF_VERSION_CONFLICT). */
  readonly ifAbsent?: boolean;
  /** Time to live in ms (needs the adapter's `ttl` feature). */
  readonly ttlMs?: number;
}

/** Options of {@link RecordHandle.list}. */
export interface ListOptions {
  /** Only keys starting with this literal string. */
  readonly prefix?: string;
  /** The cursor a previous page returned. */
  readonly cursor?: string | null;
  /** Page size, 1..1000 (default 100). */
  readonly limit?: number;
}

interface CursorState {
  readonly p: string;
  readonly a: string;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, prefix: string): string {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    state = undefined;
  }
  const s = state as Partial<CursorState> | undefined;
  if (typeof s?.a !== 'string' || typeof s.p !== 'string') {
    throw new InvalidOptionsError('cursor is not a cursor returned by list()', { path: 'cursor' });
  }
  if (s.p !== prefix)
    throw new InvalidOptionsError(`cursor belongs to prefix ${JSON.stringify(s.p)}, not ${JSON.stringify(prefix)}`, {
      path: 'cursor',
    });
  return s.a;
}

/** Typed access to a record surface (spec/contract/record.md). */
export class RecordHandle<T> {
  /** @internal */
  constructor(private readonly ctx: HandleContext<RecordStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  private item(e: RecordEntry): RecordItem<T> {
    return {
      key: e.key,
      value: this.ctx.codec<T>('value').decode(e.value),
      version: e.version,
      expiresAt: e.expiresAt,
    };
  }

  /** The live record under `key`, or null. */
  async get(key: string): Promise<RecordItem<T> | null> {
    validateKey(key, 'key');
    const e = await (await this.ctx.store()).get(key);
    return e ? this.item(e) : null;
  }

  /** Writes `value` under `key` and returns its new version; compare-and-set with `ifVersion` or `ifAbsent`. */
  async put(
    key: string,
    value: T,
    options?: PutOptions,
  ): Promise<{
    /** The new version. */
    version: number;
    /** When the record expires (epoch ms), or null when it does not. */
    expiresAt: number | null;
  }> {
    validateKey(key, 'key');
    const o = optionObject(options, '', ['ifVersion', 'ifAbsent', 'ttlMs']);
    const ifVersion = optionalInt(o['ifVersion'], 'ifVersion');
    const ifAbsent = optionalBoolean(o['ifAbsent'], 'ifAbsent');
    const ttlMs = optionalInt(o['ttlMs'], 'ttlMs');
    if (ifVersion !== undefined && ifAbsent)
      throw new InvalidOptionsError('ifVersion and ifAbsent exclude each other', { path: 'ifAbsent' });
    const encoded = this.ctx.codec<T>('value').encode(value);
    this.ctx.beforeWrite('put');
    return (await this.ctx.store()).put(key, encoded, {
      ...(ifVersion === undefined ? {} : { ifVersion }),
      ...(ifAbsent ? { ifAbsent } : {}),
      ...(ttlMs === undefined ? {} : { ttlMs }),
    });
  }

  /** Deletes `key`; false when there was no live record. With `ifVersion`, a different version is a conflict. */
  async delete(key: string, options?: { readonly ifVersion?: number }): Promise<boolean> {
    validateKey(key, 'key');
    const o = optionObject(options, '', ['ifVersion']);
    const ifVersion = optionalInt(o['ifVersion'], 'ifVersion');
    this.ctx.beforeWrite('delete');
    return (await this.ctx.store()).delete(key, ifVersion === undefined ? {} : { ifVersion });
  }

  /**
   * One page of live records whose key starts with `prefix`, ascending by key (UTF-8 byte order).
   * Pass the returned cursor back for the next page; it is null after the last one.
   */
  async list(options?: ListOptions): Promise<{
    /** The page, ascending by key. */
    items: RecordItem<T>[];
    /** The cursor of the next page; null after the last one. */
    cursor: string | null;
  }> {
    const o = optionObject(options, '', ['prefix', 'cursor', 'limit']);
    const prefix = (o['prefix'] as string | undefined) ?? '';
    validatePrefix(prefix, 'prefix');
    const limit = optionalInt(o['limit'], 'limit', { max: MAX_PAGE }) ?? 100;
    const cursor = o['cursor'];
    if (cursor !== undefined && cursor !== null && typeof cursor !== 'string')
      throw new InvalidOptionsError('cursor must be a string or null', { path: 'cursor' });
    const after = typeof cursor === 'string' ? decodeCursor(cursor, prefix) : undefined;
    const page = await (await this.ctx.store()).list({ prefix, limit, ...(after === undefined ? {} : { after }) });
    const items = page.entries.map((e) => this.item(e));
    const last = page.entries[page.entries.length - 1];
    return { items, cursor: page.more && last ? encodeCursor({ p: prefix, a: last.key }) : null };
  }
}
