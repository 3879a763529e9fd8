import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { PropertyOutcome } from './run-property.js';

/** What the runner reports while it works (the CLI prints these on stderr). */
export type ProgressEvent =
  | {
      readonly type: 'start';
      readonly adapter: string;
      readonly properties: number;
      readonly seed: number;
      readonly runs: number;
    }
  | {
      readonly type: 'property';
      readonly index: number;
      readonly total: number;
      readonly name: string;
      readonly cls: DurabilityClass;
    }
  | {
      readonly type: 'property-done';
      readonly index: number;
      readonly total: number;
      readonly outcome: PropertyOutcome;
    }
  | {
      readonly type: 'concurrency';
      readonly kind: SurfaceKind;
      readonly name: string;
      readonly status: 'pass' | 'fail' | 'skip';
      readonly detail: string;
    }
  | { readonly type: 'done'; readonly verdict: 'pass' | 'fail'; readonly durationMs: number };
