import type { DurabilityClass, SurfaceKind } from '@stateproof/spec';
import type { PropertyOutcome } from './run-property.js';

/** What the runner reports while it works (the CLI prints these on stderr). */
export type ProgressEvent =
  | {
      /** The run starts. */
      readonly type: 'start';
      /** The adapter's name. */
      readonly adapter: string;
      /** Property runs planned (a property once per class). */
      readonly properties: number;
      /** The run seed. */
      readonly seed: number;
      /** fast-check runs per property. */
      readonly runs: number;
    }
  | {
      /** A property starts. */
      readonly type: 'property';
      /** Its place in the plan (1-based). */
      readonly index: number;
      /** Property runs in the plan. */
      readonly total: number;
      /** The property's name. */
      readonly name: string;
      /** The class it runs for. */
      readonly cls: DurabilityClass;
    }
  | {
      /** A property finished. */
      readonly type: 'property-done';
      /** Its place in the plan (1-based). */
      readonly index: number;
      /** Property runs in the plan. */
      readonly total: number;
      /** What it found. */
      readonly outcome: PropertyOutcome;
    }
  | {
      /** A concurrency check finished. */
      readonly type: 'concurrency';
      /** The kind it checked. */
      readonly kind: SurfaceKind;
      /** Its name. */
      readonly name: string;
      /** Its verdict. */
      readonly status: 'pass' | 'fail' | 'skip';
      /** What it found, in words. */
      readonly detail: string;
    }
  | {
      /** The run is over. */
      readonly type: 'done';
      /** Its verdict. */
      readonly verdict: 'pass' | 'fail';
      /** Time spent, in ms. */
      readonly durationMs: number;
    };
