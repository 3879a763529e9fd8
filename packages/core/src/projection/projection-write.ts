/**
 * One write a projector derives from source entries: a record projection puts or deletes records,
 * a log projection appends entries. Values are typed; the projector encodes them with the
 * projection's schema and envelope.
 */
export type ProjectionWrite<P> =
  | { readonly put: string; readonly value: P }
  | { readonly delete: string }
  | { readonly append: string; readonly value: P };

/**
 * What `project` may read of the projection: the committed state, before the batch it is deriving
 * (for a record projection, the value under a key; a log projection reads nothing). A batch folds
 * its own entries itself, starting from what the view says.
 */
export interface ProjectionView<P> {
  get(key: string): Promise<P | null>;
}
