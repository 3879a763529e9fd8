/** The families of conformance checks a durability class can require. */
export const CONFORMANCE_CHECKS = {
  model: 'Model-based properties: command sequences against the adapter agree with the reference model of the kind.',
  reopen: 'Clean close and reopen of the adapter keeps every acknowledged write.',
  'process-crash':
    'SIGKILL of a client process at random points keeps every acknowledged write; leases of the dead process expire and others recover its work.',
  'concurrent-linearizability':
    'Histories of parallel clients on separate connections are linearizable against the reference model.',
  'backend-crash':
    'SIGKILL of the backend server keeps every acknowledged write, per the backend declared durability settings.',
  'rebuild-from-source': 'Rebuilding the projection from its source yields the persisted projection.',
  'single-writer': 'Only the projector writes the projection.',
  'bounded-size': 'The surface never holds more than its declared bound.',
  'non-blocking-append':
    'Appends never wait for the backend; a slow, blocked or absent backend fills a bounded buffer, never the caller.',
  'drops-counted': 'Every dropped entry is counted and the count is observable.',
} as const;

/** The id of a conformance check family. */
export type ConformanceCheck = keyof typeof CONFORMANCE_CHECKS;
