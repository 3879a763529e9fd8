/**
 * One write a projector derives from source entries: a record projection puts or deletes records,
 * a log projection appends entries. Values are typed; the projector encodes them with the
 * projection's schema and envelope.
 */
export type ProjectionWrite<P> =
  | {
      /** Record projections: the key to put. */
      readonly put: string;
      /** The value to put under it. */
      readonly value: P;
    }
  | {
      /** Record projections: the key to delete. */
      readonly delete: string;
    }
  | {
      /** Log projections: the stream to append to. */
      readonly append: string;
      /** The entry to append. */
      readonly value: P;
    };

/**
 * What `project` may read of the projection: the committed state, before the batch it is deriving
 * (for a record projection, the value under a key; a log projection reads nothing). A batch folds
 * its own entries itself, starting from what the view says.
 */
export interface ProjectionView<P> {
  /** The committed value under `key`, or null when there is none. */
  get(key: string): Promise<P | null>;
}
