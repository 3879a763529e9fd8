import type { ReapReport } from '../queue/reap-report.js';
import type { Logger } from './violation-reporter.js';

/** What one maintenance pass did, per surface id. */
export interface MaintenanceReport {
  /** What the queue reaper did, per queue surface. */
  readonly queues: Record<string, ReapReport>;
  /** What the session reaper did, per dataspace surface. */
  readonly dataspaces: Record<
    string,
    {
      /** Sessions found expired. */
      expired: number;
      /** Assertions retracted. */
      retracted: number;
    }
  >;
  /** Rows pruned by retention (finished tasks, ended sessions, expired records), per queue, dataspace and record surface. */
  readonly pruned: Record<string, number>;
}

/**
 * Runs maintenance passes (the reapers, the fingerprint lease renewal) one at a time: a pass asked
 * for while one runs shares it, and the background timer skips a tick while one runs.
 */
export class MaintenanceLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<MaintenanceReport> | undefined;

  constructor(private readonly pass: () => Promise<MaintenanceReport>) {}

  /** Runs a pass now, or joins the one running. */
  run(): Promise<MaintenanceReport> {
    this.running ??= (async () => {
      await Promise.resolve(); // so that the finally below runs after the assignment
      try {
        return await this.pass();
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Runs a pass every `intervalMs` in the background (without keeping the process alive); failures go to `logger`. */
  start(intervalMs: number, logger: Logger): void {
    this.timer = setInterval(() => {
      if (!this.running)
        this.run().catch((error: unknown) => logger.warn(`maintenance failed: ${(error as Error).message}`));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the background passes and waits for the one running, if any (its failure is not rethrown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
