import type { ValueCodec } from '../codec/value-codec.js';
import type { Clock } from '../time/clock.js';
import type { AnySurface } from '../surface/surface.js';
import type { ViolationReporter } from './violation-reporter.js';
import { ProjectionWriteError } from '../errors/outcome-errors.js';

/**
 * What every handle of a bound surface shares: its store, codecs, reporter and the features its
 * adapter claims. The store is core's guarded store: it refuses every operation once the runtime or
 * the adapter is closed, and every operation needing a feature the adapter does not claim.
 */
export class HandleContext<Store> {
  constructor(
    readonly surface: AnySurface,
    private readonly storePromise: Promise<Store>,
    readonly codecs: Readonly<Partial<Record<'value' | 'payload' | 'result' | 'message', ValueCodec<unknown>>>>,
    readonly reporter: ViolationReporter,
    readonly clock: Clock,
    private readonly features: Readonly<Record<string, boolean | undefined>>,
  ) {
    // An unopened store must not become an unhandled rejection before anyone calls an operation.
    storePromise.catch(() => undefined);
  }

  /** The opened (guarded) store. */
  store(): Promise<Store> {
    return this.storePromise;
  }

  /** The codec of a role; every surface has the codec of its kind's value role. */
  codec<T>(role: 'value' | 'payload' | 'result' | 'message'): ValueCodec<T> {
    const c = this.codecs[role];
    if (!c) throw new Error(`internal: surface "${this.surface.id}" has no ${role} codec`);
    return c as ValueCodec<T>;
  }

  /** Whether the adapter claims `feature` for this kind (to choose between ways of doing one thing). */
  claims(feature: string): boolean {
    return this.features[feature] === true;
  }

  /**
   * Refuses a write to a derived projection: only its projector writes it, through the adapter's
   * atomic projection commit, never through a handle (spec/contract/classes.md, PRJ-002).
   */
  beforeWrite(operation: string): void {
    if (this.surface.class === 'derived-projection') throw new ProjectionWriteError(this.surface.id, operation);
  }
}
