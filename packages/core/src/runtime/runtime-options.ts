import type { ManifestDocument } from '@stateproof/spec';
import type { Adapter } from '../adapter/adapter.js';
import { InvalidOptionsError } from '../errors/input-errors.js';
import { Registry } from '../registry/registry.js';
import type { AnySurface } from '../surface/surface.js';
import { optionalInt, optionObject } from '../validation/option-checks.js';
import { DEFAULT_MODE, MODES, type Mode } from './mode.js';
import type { Logger } from './violation-reporter.js';

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** The backend. On success the runtime owns it and closes it on {@link Runtime.close}. */
  readonly adapter: Adapter;
  /** The app; part of every key. Missing → STATEPROOF_MISSING_SCOPE. */
  readonly app?: string;
  /**
   * The deployment (build) id; part of deployment-scoped keys and of the fingerprint registry.
   * Missing → STATEPROOF_MISSING_SCOPE.
   */
  readonly deployment?: string;
  /** off | warn (default) | enforce. */
  readonly mode?: Mode;
  /** Surfaces to bind (default: every surface of the registry). */
  readonly surfaces?: readonly AnySurface[];
  /** Registry to seal (default: the process-wide one). */
  readonly registry?: Registry;
  /** The build-time manifest (or its fingerprint) that this process must match. */
  readonly manifest?: ManifestDocument | string;
  /** Replicas of this deployment; more than one makes restart-safe-local surfaces a violation. */
  readonly replicas?: number;
  /** Restart-safe-local surface ids allowed with several replicas, on purpose. */
  readonly allowLocalState?: readonly string[];
  /** Where warnings go (default: stderr). */
  readonly logger?: Logger;
  /**
   * Period of the background reaper and fingerprint lease renewal, in ms; false to run it only
   * through maintain(). Default 1000.
   */
  readonly maintenanceIntervalMs?: number | false;
  /** Identity of this process in the deployment registry (default: host:pid:random). */
  readonly instance?: string;
  /**
   * How long `close()` waits at most for telemetry still on its way to the backend, in ms (default
   * 10 000): a backend that never answers an append cannot hold a close forever; what it still holds
   * then stays counted as pending in the handles' `stats()`.
   */
  readonly flushOnCloseMs?: number;
}

/** The options of {@link openRuntime} once checked, with the defaults that need no startup work filled in. */
export interface CheckedRuntimeOptions extends Omit<
  RuntimeOptions,
  'mode' | 'replicas' | 'allowLocalState' | 'maintenanceIntervalMs' | 'flushOnCloseMs'
> {
  readonly mode: Mode;
  readonly flushOnCloseMs: number;
  readonly replicas: number;
  readonly allowLocalState: readonly string[];
  readonly maintenanceIntervalMs: number | false;
}

const OPTION_KEYS = [
  'adapter',
  'app',
  'deployment',
  'mode',
  'surfaces',
  'registry',
  'manifest',
  'replicas',
  'allowLocalState',
  'logger',
  'maintenanceIntervalMs',
  'instance',
  'flushOnCloseMs',
];

function isAdapter(value: unknown): value is Adapter {
  const a = value as Partial<Adapter> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.probe === 'function' &&
    typeof a.close === 'function' &&
    typeof a.capabilities === 'object' &&
    typeof a.namespace === 'string'
  );
}

/** Checks the options of {@link openRuntime}: each malformed one is InvalidOptionsError with its path. */
export function checkRuntimeOptions(options: RuntimeOptions): CheckedRuntimeOptions {
  const o = optionObject(options, '', OPTION_KEYS) as unknown as RuntimeOptions;
  if (!isAdapter(o.adapter)) {
    throw new InvalidOptionsError('adapter must be a stateproof Adapter (for example memoryAdapter())', {
      path: 'adapter',
    });
  }
  const mode = o.mode ?? DEFAULT_MODE;
  if (!MODES.includes(mode)) throw new InvalidOptionsError(`mode must be one of ${MODES.join(', ')}`, { path: 'mode' });
  const replicas = optionalInt(o.replicas, 'replicas') ?? 1;
  const interval =
    o.maintenanceIntervalMs === false
      ? false
      : (optionalInt(o.maintenanceIntervalMs, 'maintenanceIntervalMs', { min: 10 }) ?? 1000);
  if (o.registry !== undefined && !(o.registry instanceof Registry)) {
    throw new InvalidOptionsError('registry must be a Registry', { path: 'registry' });
  }
  if (o.surfaces !== undefined && !Array.isArray(o.surfaces)) {
    throw new InvalidOptionsError('surfaces must be an array of surfaces', { path: 'surfaces' });
  }
  const allowLocal = o.allowLocalState ?? [];
  if (!Array.isArray(allowLocal)) {
    throw new InvalidOptionsError('allowLocalState must be an array of surface ids', { path: 'allowLocalState' });
  }
  const flushOnCloseMs = optionalInt(o.flushOnCloseMs, 'flushOnCloseMs', { min: 0, max: 3_600_000 }) ?? 10_000;
  return { ...o, mode, replicas, allowLocalState: allowLocal, maintenanceIntervalMs: interval, flushOnCloseMs };
}
