import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { callTarget, memoryTarget, type ConformanceTarget } from '@stateproof/conformance';
import { UsageError } from '../args/usage-error.js';
import { importTargetModule, targetShapeProblem } from './import-target-module.js';
import { PostgresServer } from './postgres-server.js';
import { postgresTarget } from './postgres-target.js';
import { sqliteTarget } from './sqlite-target.js';

/** Settings a built-in target may take from the command line and the environment. */
export interface TargetSettings {
  /** Server URL (Postgres: `--url` or STATEPROOF_PG_URL). */
  readonly url?: string;
  /** Database file or directory (SQLite: `--file`; default a temp directory). */
  readonly file?: string;
  /** Start a server of the target's own (for `--kill-backend`), never touching the shared one. */
  readonly ownServer?: boolean;
}

/** A target the CLI knows by name. */
export interface BuiltinTarget {
  readonly name: string;
  readonly description: string;
  create(settings: TargetSettings): Promise<ConformanceTarget> | ConformanceTarget;
}

/** The adapters `--adapter <name>` accepts; anything else is a module path. */
export const BUILTIN_TARGETS: BuiltinTarget[] = [
  { name: 'memory', description: 'the in-process reference adapter (ephemeral)', create: () => memoryTarget() },
  {
    name: 'sqlite',
    description: 'the SQLite adapter on --file, or a file in a temporary directory removed at exit (restart-safe-local)',
    create: (s) => {
      const target = sqliteTarget(s.file === undefined ? {} : { file: s.file });
      process.once('exit', () => target.cleanup());
      return target;
    },
  },
  {
    name: 'postgres',
    description: 'the Postgres adapter on --url or $STATEPROOF_PG_URL (shared-durable); with --kill-backend on a server of its own (initdb in a temp dir)',
    create: async (s) => {
      if (!s.ownServer) return postgresTarget(s.url === undefined ? {} : { url: s.url });
      // A server the harness may kill: never the one at --url, always a new one, removed by server.stop() or at exit.
      let server: PostgresServer;
      try {
        server = await PostgresServer.start();
      } catch (error) {
        throw new UsageError(`--kill-backend needs a Postgres server of the harness's own, and none could be started: ${(error as Error).message}`, 'Install the PostgreSQL server binaries (initdb, postgres) or point STATEPROOF_PG_BIN at them. The shared server is never killed.');
      }
      return postgresTarget({ url: server.url, server });
    },
  },
];

/** What `--adapter` resolved to. */
export interface ResolvedTarget {
  readonly target: ConformanceTarget;
  /** The module path, when the target came from one (recorded in the certificate). */
  readonly module?: string;
}

function isTarget(value: unknown): value is ConformanceTarget {
  return typeof value === 'object' && value !== null && typeof (value as ConformanceTarget).name === 'string' && typeof (value as ConformanceTarget).create === 'function';
}

/**
 * Resolves `--adapter`: a built-in name, or a path to an ES module whose default export (or named
 * export `target`) is a ConformanceTarget, or a function (sync or async) returning one.
 */
export async function resolveTarget(spec: string, settings: TargetSettings, cwd: string, options: { forCrash?: boolean } = {}): Promise<ResolvedTarget> {
  const builtin = BUILTIN_TARGETS.find((b) => b.name === spec);
  if (builtin) return { target: await builtin.create(settings) };
  const looksLikePath = /^[./]|\.[cm]?js$|[\\/]/.test(spec);
  if (!looksLikePath) {
    throw new UsageError(`unknown adapter "${spec}"`, `Use one of ${BUILTIN_TARGETS.map((b) => b.name).join(', ')}, or a path to a module such as ./my-adapter.js (see docs/conformance.md).`);
  }
  const path = resolve(cwd, spec);
  const mod = await importTargetModule(spec, path);
  const exportName = mod.target !== undefined ? 'target' : 'default';
  let exported = mod[exportName];
  const what = exportName === 'target' ? 'its export `target`' : 'its default export';
  if (exported === undefined) {
    throw new UsageError(
      `adapter module ${spec} exports no conformance target: it has neither an export \`target\` nor a default export`,
      'Export `target` (or a default export): an object { name, create({ namespace, clock }) } or a function returning one. See docs/conformance.md.',
    );
  }
  const factory = typeof exported === 'function' && !isTarget(exported);
  if (factory) exported = await callTarget(spec, `the factory ${what}`, () => (exported as (s: TargetSettings) => unknown)(settings));
  const problem = targetShapeProblem(exported, factory ? `the target returned by ${what}` : what);
  if (problem !== undefined || !isTarget(exported)) {
    throw new UsageError(
      `adapter module ${spec}: ${problem ?? `${what} is not a conformance target`}`,
      'A target is an object { name, create({ namespace, clock }) } (create returns an open adapter), or a function returning one. See docs/conformance.md.',
    );
  }
  // The crash harness's workers import the module again; a target that says nothing else is rebuilt the same way.
  const target: ConformanceTarget = options.forCrash && !exported.spawn ? { ...exported, spawn: { module: pathToFileURL(path).href, export: exportName, ...(factory ? { args: settings } : {}) } } : exported;
  return { target, module: spec };
}
