import type { Adapter } from '../adapter/adapter.js';
import type { AnyBinding } from '../adapter/surface-binding.js';
import { sameContract } from '../registry/registry.js';
import type { RuntimeScope } from '../scope/runtime-scope.js';
import type { AnySurface } from '../surface/surface.js';
import { bindingOf } from './binding-of.js';
import { OPENER, reportDuplicate } from './startup-checks.js';
import type { ViolationReporter } from './violation-reporter.js';

/** A surface bound to its store, with its handles once made. */
export interface Bound {
  readonly surface: AnySurface;
  readonly store: Promise<unknown>;
  readonly handles: { user?: unknown };
}

/** The surfaces a runtime bound: each opened once through the (guarded) adapter, found by surface or by id. */
export class BoundSurfaces {
  private readonly bound = new Map<AnySurface, Bound>();
  private readonly byId = new Map<string, Bound>();

  constructor(
    /** The guarded view of the adapter: the stores it opens refuse operations once closed. */
    private readonly adapter: Adapter,
    private readonly scope: RuntimeScope,
    private readonly reporter: ViolationReporter,
    /** Throws (or reports) when the adapter cannot host a surface. */
    private readonly check: (surface: AnySurface) => void,
  ) {}

  /** Opens the surface's store (once) and remembers it. */
  bind(surface: AnySurface): Bound {
    const existing = this.bound.get(surface);
    if (existing) return existing;
    const opener = this.adapter[OPENER[surface.kind]] as (b: AnyBinding) => Promise<unknown>;
    const store = opener.call(this.adapter, bindingOf(surface, this.scope));
    store.catch(() => undefined);
    const b: Bound = { surface, store, handles: {} };
    this.bound.set(surface, b);
    if (!this.byId.has(surface.id)) this.byId.set(surface.id, b);
    return b;
  }

  /**
   * The binding of `surface` for a handle. A surface not bound at startup (defined later, or not in
   * the list) shares the binding of a surface with its id and contract, or is checked and bound now
   * (another contract under a bound id is STATEPROOF_DUPLICATE_ID).
   */
  resolve(surface: AnySurface): Bound {
    const own = this.bound.get(surface);
    if (own) return own;
    const other = this.byId.get(surface.id);
    if (other && sameContract(other.surface, surface)) return other;
    if (other) reportDuplicate(this.reporter, surface.id);
    this.check(surface);
    return this.bind(surface);
  }

  /** Waits for every store opened so far. */
  async opened(): Promise<void> {
    await Promise.all([...this.bound.values()].map((b) => b.store));
  }

  /** One binding per surface id, in binding order (what maintenance walks). */
  ids(): IterableIterator<Bound> {
    return this.byId.values();
  }

  /** Every binding, also of surfaces sharing an id. */
  all(): IterableIterator<Bound> {
    return this.bound.values();
  }
}
