/**
 * One step of a projector (spec/contract/classes.md, PRJ-003): the writes derived from a batch of
 * source entries go to the backend together with the cursor they carry the projection to, in one
 * atomic step, or not at all. The step is compare-and-set on the cursor, so two projectors of one
 * projection never apply a source entry twice: the one that finds the cursor moved gets
 * STATEPROOF_PROJECTION_CONFLICT and applies nothing.
 */
export interface ProjectionCommit {
  /** The cursor the batch starts from: it must be the committed one (else STATEPROOF_PROJECTION_CONFLICT). */
  readonly from: number;
  /** The cursor after the batch: the last source sequence its writes derive from (at least `from`, unless `reset`). */
  readonly to: number;
  /** Clear the projection (every record of the surface, or every stream of it) before the writes: the first step of a rebuild. */
  readonly reset?: boolean;
}

/** A record projection's write: the encoded value to put under `key`, or null to delete it. */
export interface ProjectionRecordWrite {
  /** The record key. */
  readonly key: string;
  /** The encoded value, or null to delete the record. */
  readonly value: string | null;
}

/** A log projection's write: an encoded value appended to `stream` (it gets the stream's next sequence). */
export interface ProjectionLogAppend {
  /** The stream. */
  readonly stream: string;
  /** The encoded value. */
  readonly value: string;
}
