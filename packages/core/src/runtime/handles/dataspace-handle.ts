import type {
  Assertion,
  DataspaceEvent,
  DataspaceFilter,
  DataspaceStore,
  RetractReason,
} from '../../adapter/dataspace-store.js';
import { InvalidOptionsError } from '../../errors/input-errors.js';
import { compileGlob } from '../../scope/glob.js';
import { validateKey, validatePrefix } from '../../scope/validate-key.js';
import { mapSubscription } from '../../subscription/map-subscription.js';
import type { Subscription } from '../../subscription/subscription.js';
import { optionalInt, optionObject } from '../../validation/option-checks.js';
import type { HandleContext } from '../handle-context.js';
import { leaseOption } from './lease-option.js';

/** An assertion as a reader sees it. */
export interface AssertionView<T> extends Omit<Assertion, 'value'> {
  /** The value, decoded. */
  readonly value: T;
}

/** What a typed dataspace subscription yields. */
export type DataspaceView<T> =
  | {
      /** The current matching assertions; every later event has a greater revision. */
      readonly type: 'snapshot';
      /** The revision it is the state at. */
      readonly revision: number;
      /** The matching assertions. */
      readonly assertions: readonly AssertionView<T>[];
    }
  | {
      /** An assertion was made or overwritten. */
      readonly type: 'asserted';
      /** The revision of the change. */
      readonly revision: number;
      /** The assertion as it is now. */
      readonly assertion: AssertionView<T>;
    }
  | {
      /** An assertion went away. */
      readonly type: 'retracted';
      /** The revision of the change. */
      readonly revision: number;
      /** Its id. */
      readonly id: string;
      /** The session that owned it. */
      readonly session: string;
      /** That session's owner name. */
      readonly owner: string;
      /** Why it went away. */
      readonly reason: RetractReason;
    }
  | {
      /** The subscriber lagged past its buffer; a fresh snapshot follows at once. */
      readonly type: 'resync';
      /** Why. */
      readonly reason: 'lagged';
    };

const ALL: DataspaceFilter = { type: 'all' };

/** A live session: the owner of the assertions it makes. Heartbeat within the lease or lose them all. */
export class DataspaceSession<T> {
  /** @internal */
  constructor(
    private readonly ctx: HandleContext<DataspaceStore>,
    /** Session id. */
    readonly id: string,
    /** Owner name given at open. */
    readonly owner: string,
    private expires: number,
  ) {}

  /** When the lease ends unless renewed. */
  get expiresAt(): number {
    return this.expires;
  }

  /** Asserts (or overwrites its own) value under `id`; STATEPROOF_OWNERSHIP when another session owns it. */
  async assert(
    id: string,
    value: T,
  ): Promise<{
    /** The revision of the change. */
    revision: number;
  }> {
    validateKey(id, 'id');
    const encoded = this.ctx.codec<T>('value').encode(value);
    return (await this.ctx.store()).assert(this.id, id, encoded);
  }

  /** Retracts its own assertion under `id`; null when there was none. */
  async retract(id: string): Promise<{
    /** The revision of the change. */
    revision: number;
  } | null> {
    validateKey(id, 'id');
    return (await this.ctx.store()).retract(this.id, id);
  }

  /** Renews the liveness lease. */
  async heartbeat(options?: { readonly leaseMs?: number }): Promise<{
    /** The new end of the lease (epoch ms). */
    expiresAt: number;
  }> {
    const leaseMs = leaseOption(this.ctx.surface, options);
    const r = await (await this.ctx.store()).heartbeat(this.id, leaseMs);
    this.expires = r.expiresAt;
    return r;
  }

  /** Closes the session, retracting all its assertions. */
  async close(): Promise<{
    /** How many assertions were retracted. */
    retracted: number;
  }> {
    return (await this.ctx.store()).closeSession(this.id);
  }
}

/** Typed access to a dataspace surface (spec/contract/dataspace.md). */
export class DataspaceHandle<T> {
  /** @internal */
  constructor(private readonly ctx: HandleContext<DataspaceStore>) {}

  /** The surface id. */
  get id(): string {
    return this.ctx.surface.id;
  }

  private view(a: Assertion): AssertionView<T> {
    return { ...a, value: this.ctx.codec<T>('value').decode(a.value) };
  }

  private filter(filter: unknown): DataspaceFilter {
    if (filter === undefined) return ALL;
    const f = filter as Partial<DataspaceFilter> & Record<string, unknown>;
    switch (f?.type) {
      case 'all':
        optionObject(f, 'filter', ['type']);
        return ALL;
      case 'exact':
        optionObject(f, 'filter', ['type', 'id']);
        validateKey(f['id'], 'filter.id');
        return { type: 'exact', id: f['id'] };
      case 'prefix':
        optionObject(f, 'filter', ['type', 'prefix']);
        validatePrefix(f['prefix'], 'filter.prefix');
        return { type: 'prefix', prefix: f['prefix'] };
      case 'glob':
        optionObject(f, 'filter', ['type', 'pattern']);
        validatePrefix(f['pattern'], 'filter.pattern');
        compileGlob(f['pattern'], 'filter.pattern');
        return { type: 'glob', pattern: f['pattern'] };
      default:
        throw new InvalidOptionsError('filter must be { type: "all" | "exact" | "prefix" | "glob", … }', {
          path: 'filter.type',
        });
    }
  }

  /** Opens a session for `owner` with a liveness lease. */
  async openSession(options: { readonly owner: string; readonly leaseMs?: number }): Promise<DataspaceSession<T>> {
    const leaseMs = leaseOption(this.ctx.surface, options);
    validateKey(options.owner, 'owner');
    const r = await (await this.ctx.store()).openSession(options.owner, leaseMs);
    return new DataspaceSession(this.ctx, r.session, options.owner, r.expiresAt);
  }

  /** The current assertion under `id`, or null. */
  async get(id: string): Promise<AssertionView<T> | null> {
    validateKey(id, 'id');
    const a = await (await this.ctx.store()).get(id);
    return a ? this.view(a) : null;
  }

  /** Matching assertions at one revision, ascending by id. */
  async list(filter?: DataspaceFilter): Promise<{
    /** The revision the list is the state at. */
    revision: number;
    /** The matching assertions, ascending by id. */
    assertions: AssertionView<T>[];
  }> {
    const r = await (await this.ctx.store()).list(this.filter(filter));
    return { revision: r.revision, assertions: r.assertions.map((a) => this.view(a)) };
  }

  /** A snapshot, then every later matching change in revision order; a lagging subscriber gets a resync and a fresh snapshot. */
  async subscribe(
    filter?: DataspaceFilter,
    options?: { readonly bufferSize?: number },
  ): Promise<Subscription<DataspaceView<T>>> {
    const f = this.filter(filter);
    const bufferSize = optionalInt(optionObject(options, '', ['bufferSize'])['bufferSize'], 'bufferSize', {
      max: 1_000_000,
    });
    const inner = await (await this.ctx.store()).subscribe(f, bufferSize === undefined ? {} : { bufferSize });
    return mapSubscription(inner, (e: DataspaceEvent): DataspaceView<T> => {
      switch (e.type) {
        case 'snapshot':
          return { type: 'snapshot', revision: e.revision, assertions: e.assertions.map((a) => this.view(a)) };
        case 'asserted':
          return { type: 'asserted', revision: e.revision, assertion: this.view(e.assertion) };
        default:
          return e;
      }
    });
  }

  /** Retracts the assertions of every session whose lease expired (the runtime also runs this periodically). */
  async reap(): Promise<{
    /** Sessions found expired. */
    expired: number;
    /** Assertions retracted. */
    retracted: number;
  }> {
    return (await this.ctx.store()).reap();
  }
}
