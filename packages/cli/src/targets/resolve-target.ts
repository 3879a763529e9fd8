import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { callTarget, KitSetupError, type ConformanceTarget, type KitSettings } from '@stateproof/conformance';
import { UsageError } from '../args/usage-error.js';
import { importTargetModule, targetShapeProblem } from './import-target-module.js';
import { KITS } from './kits.js';

/** What `--adapter` resolved to. */
export interface ResolvedTarget {
  readonly target: ConformanceTarget;
  /** The module path, when the target came from one (recorded in the certificate). */
  readonly module?: string;
}

function isTarget(value: unknown): value is ConformanceTarget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ConformanceTarget).name === 'string' &&
    typeof (value as ConformanceTarget).create === 'function'
  );
}

/**
 * Resolves `--adapter`: the name of a kit, or a path to an ES module whose default export (or named
 * export `target`) is a ConformanceTarget, or a function (sync or async) returning one.
 */
export async function resolveTarget(
  spec: string,
  settings: KitSettings,
  cwd: string,
  options: { forCrash?: boolean } = {},
): Promise<ResolvedTarget> {
  const kit = KITS.find((k) => k.name === spec);
  if (kit) {
    try {
      return { target: await kit.target(settings) };
    } catch (error) {
      if (error instanceof KitSetupError) throw new UsageError(error.message, error.hint);
      throw error;
    }
  }
  const looksLikePath = /^[./]|\.[cm]?js$|[\\/]/.test(spec);
  if (!looksLikePath) {
    throw new UsageError(
      `unknown adapter "${spec}"`,
      `Use one of ${KITS.map((k) => k.name).join(', ')}, or a path to a module such as ./my-adapter.js (see docs/conformance.md).`,
    );
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
  if (factory)
    exported = await callTarget(spec, `the factory ${what}`, () => (exported as (s: KitSettings) => unknown)(settings));
  const problem = targetShapeProblem(exported, factory ? `the target returned by ${what}` : what);
  if (problem !== undefined || !isTarget(exported)) {
    throw new UsageError(
      `adapter module ${spec}: ${problem ?? `${what} is not a conformance target`}`,
      'A target is an object { name, create({ namespace, clock }) } (create returns an open adapter), or a function returning one. See docs/conformance.md.',
    );
  }
  // The crash harness's workers import the module again; a target that says nothing else is rebuilt the same way.
  const target: ConformanceTarget =
    options.forCrash && !exported.spawn
      ? {
          ...exported,
          spawn: { module: pathToFileURL(path).href, export: exportName, ...(factory ? { args: settings } : {}) },
        }
      : exported;
  return { target, module: spec };
}
