import type { Mutant } from '../mutants/mutant.js';
import type { ConformanceTarget } from '../environment/conformance-target.js';

/** Settings a kit may take from the command line and the environment. */
export interface KitSettings {
  /** Server URL (`--url`, else the kit's {@link ConformanceKit.urlEnvironment}). */
  readonly url?: string;
  /** Database file (SQLite: `--file`; default a temporary directory). */
  readonly file?: string;
  /** Start a server of the kit's own (`--own-server`, `--kill-backend`) that the harness may kill, never the shared one. */
  readonly ownServer?: boolean;
}

/**
 * What an adapter package exports as `@stateproof/adapter-<name>/conformance`: how to build its
 * conformance target and the engine mutants that only this adapter can carry. The CLI maps
 * `--adapter <name>` to a kit and nothing else; the suite itself knows no adapter.
 */
export interface ConformanceKit {
  /** The name `--adapter` takes (`memory`, `sqlite`, `postgres`). */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /**
   * True when `target({ ownServer: true })` starts a server of the kit's own (`--own-server`,
   * `--kill-backend`): a server adapter whose durable configuration the shared server may lack.
   */
  readonly ownServer?: boolean;
  /** The environment variable that gives the server URL when `--url` is absent (`STATEPROOF_PG_URL`, `STATEPROOF_REDIS_URL`). */
  readonly urlEnvironment?: string;
  /** Builds a target for these settings; throws {@link KitSetupError} when this machine cannot. */
  target(settings: KitSettings): Promise<ConformanceTarget> | ConformanceTarget;
  /** Deliberately broken variants of this adapter that the suite must catch. */
  readonly mutants: readonly Mutant[];
}

/**
 * A kit cannot build its target here (say, no PostgreSQL server binaries for a server of its own):
 * the machine lacks something, the adapter did not fail. `hint` says what to install or change.
 */
export class KitSetupError extends Error {
  /** `message` says what is missing. */
  constructor(
    message: string,
    /** What to do next. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'KitSetupError';
  }
}
