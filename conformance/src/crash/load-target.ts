import type { ConformanceTarget, TargetSpawn } from '../environment/conformance-target.js';

/** Builds the target a {@link TargetSpawn} describes (in a crash worker, or anywhere else). */
export async function loadTarget(spawn: TargetSpawn): Promise<ConformanceTarget> {
  const mod = (await import(spawn.module)) as Record<string, unknown>;
  let exported = spawn.export !== undefined ? mod[spawn.export] : (mod.target ?? mod.default);
  if (typeof exported === 'function') exported = await (exported as (args: unknown) => unknown)(spawn.args);
  const t = exported as ConformanceTarget | undefined;
  if (typeof t !== 'object' || t === null || typeof t.create !== 'function')
    throw new Error(`${spawn.module} (${spawn.export ?? 'target or default'}) is not a conformance target`);
  return t;
}
