import type Database from 'better-sqlite3';

/** Feeds of every adapter instance in this process, by database file and namespace. */
const local = new Map<string, Set<ChangeFeed>>();

/**
 * Wakes the subscriptions of one adapter instance when something they follow may have changed.
 *
 * - In-process fast path: after a commit that changed logs, dataspaces or channels, every instance
 *   in this process on the same file and namespace is woken at once.
 * - Across processes: while at least one subscription is live, the instance polls
 *   `PRAGMA data_version` every `pollIntervalMs`; it changes whenever another connection commits.
 *
 * A wake is only a hint: subscribers then read the database for what is new, so a missed or spurious
 * wake costs latency, never correctness.
 */
export class ChangeFeed {
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private version: unknown;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    /** File and namespace: instances with the same key wake each other. */
    private readonly key: string,
    private readonly pollIntervalMs: number,
  ) {
    let peers = local.get(key);
    if (!peers) local.set(key, (peers = new Set()));
    peers.add(this);
  }

  /** Registers a listener; returns the function that removes it. */
  listen(wake: () => void): () => void {
    this.listeners.add(wake);
    this.startPolling();
    return () => {
      this.listeners.delete(wake);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  /** Announces a commit of this instance to every instance on the same file and namespace in this process. */
  committed(): void {
    for (const feed of local.get(this.key) ?? []) feed.wake();
  }

  /** Wakes every listener of this instance. */
  wake(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Stops polling and leaves the process-wide set. */
  close(): void {
    this.closed = true;
    this.stopPolling();
    this.listeners.clear();
    const peers = local.get(this.key);
    peers?.delete(this);
    if (peers?.size === 0) local.delete(this.key);
  }

  private startPolling(): void {
    if (this.timer || this.closed) return;
    this.version = this.dataVersion();
    this.timer = setInterval(() => {
      const v = this.dataVersion();
      if (v !== this.version) {
        this.version = v;
        this.wake();
      }
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private dataVersion(): unknown {
    try {
      return this.db.pragma('data_version', { simple: true });
    } catch {
      // A closed or broken connection: wake anyway, so that readers find out through their own reads.
      return Symbol('unknown');
    }
  }
}
