/** The families of conformance checks a durability class can require. */
export const CONFORMANCE_CHECKS = {
  /** Agreement with the kind's reference model. */
  model: 'Model-based properties: command sequences against the adapter agree with the reference model of the kind.',
  /** Surviving a clean close and reopen. */
  reopen: 'Clean close and reopen of the adapter keeps every acknowledged write.',
  /** Surviving a kill of the client process. */
  'process-crash':
    'SIGKILL of a client process at random points keeps every acknowledged write; leases of the dead process expire and others recover its work.',
  /** Linearizability under parallel clients. */
  'concurrent-linearizability':
    'Histories of parallel clients on separate connections are linearizable against the reference model.',
  /** Surviving a kill of the backend server. */
  'backend-crash':
    'SIGKILL of the backend server keeps every acknowledged write, per the backend declared durability settings.',
  /** A projection rebuilt from its source equals the persisted one. */
  'rebuild-from-source': 'Rebuilding the projection from its source yields the persisted projection.',
  /** Only the projector writes a projection. */
  'single-writer': 'Only the projector writes the projection.',
  /** Staying within the declared bound. */
  'bounded-size': 'The surface never holds more than its declared bound.',
  /** Appends that never wait for the backend. */
  'non-blocking-append':
    'Appends never wait for the backend; a slow, blocked or absent backend fills a bounded buffer, never the caller.',
  /** Every drop counted. */
  'drops-counted': 'Every dropped entry is counted and the count is observable.',
} as const;

/** The id of a conformance check family. */
export type ConformanceCheck = keyof typeof CONFORMANCE_CHECKS;
