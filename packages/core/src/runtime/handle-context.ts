import type { ValueCodec } from '../codec/value-codec.js';
import type { Clock } from '../time/clock.js';
import type { AnySurface } from '../surface/surface.js';
import type { ViolationReporter } from './violation-reporter.js';

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
    /** `projector` handles may write derived projections; `user` handles may not. */
    readonly writer: 'projector' | 'user',
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

  /** Reports a projection write by anyone but the projector (mode-governed). */
  beforeWrite(operation: string): void {
    if (this.surface.class === 'derived-projection' && this.writer !== 'projector') {
      this.reporter.report(
        'STATEPROOF_PROJECTION_WRITE',
        `${operation} on derived projection "${this.surface.id}" outside its projector`,
        {
          subject: this.surface.id,
        },
      );
    }
  }
}
