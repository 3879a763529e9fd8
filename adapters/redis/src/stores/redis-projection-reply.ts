import { projectionConflict, type ProjectionCommit } from '@stateproof/core/adapter-kit';
import { foreignKeyError } from './redis-foreign-key.js';

/**
 * Settles the reply of a projection commit script, the same for record and log projections: `ok`
 * returns; a key of the namespace another program wrote is refused as foreign; a cursor that moved
 * is core's PROJECTION_CONFLICT (PRJ-003). The script wrote nothing in both refusals.
 */
export function settleProjectionReply(
  reply: ReadonlyArray<string | number | null>,
  surfaceId: string,
  commit: ProjectionCommit,
): void {
  if (reply[0] === 'ok') return;
  if (reply[0] === 'foreign') throw foreignKeyError('committing a projection', String(reply[1]));
  throw (
    projectionConflict(surfaceId, commit, Number(reply[1])) ??
    new Error(`internal: the projection commit was refused at cursor ${reply[1]}`)
  );
}
