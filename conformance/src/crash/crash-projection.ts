import type { Runtime } from '@stateproof/core';
import { projectCounts, projectSequences, SOURCE_STREAM } from '../models/projection-fold-model.js';
import type { CrashSurfaces } from './crash-surfaces.js';

/** The projectors of the projections a crash run defines, on `rt`; small batches, so a catch-up is several commits. */
export function crashProjectors(rt: Runtime, surfaces: Partial<CrashSurfaces>, batch: number) {
  const source = surfaces.source;
  if (!source) throw new Error('internal: a derived-projection crash run without its source log');
  return {
    record: surfaces.record
      ? rt.project(surfaces.record, { source, stream: SOURCE_STREAM, project: projectCounts as never, batch })
      : undefined,
    log: surfaces.log
      ? rt.project(surfaces.log, { source, stream: SOURCE_STREAM, project: projectSequences as never, batch })
      : undefined,
  };
}
