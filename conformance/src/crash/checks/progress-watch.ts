/**
 * A wait judged by progress, not by a fixed deadline: a check that waits for the backend to finish
 * something (a queue drained, dead claims or sessions freed) goes on as long as something moves, and
 * gives up only once nothing has moved for {@link stallLimitMs}. A slow but working backend is then
 * never failed for being slow, and a stuck one is failed after a bounded, short wait.
 */

/** The shortest stall the checks accept, whatever the lease: a few seconds. */
export const MIN_STALL_MS = 5_000;

/**
 * How long a check waits without any progress before it judges the backend stuck: five lease
 * lengths and the adapter's expiry slack (a lease lost meanwhile is reaped and taken again), and at
 * least {@link MIN_STALL_MS}.
 */
export function stallLimitMs(ctx: { readonly leaseMs: number; readonly expirySlackMs: number }): number {
  return Math.max(MIN_STALL_MS, 5 * ctx.leaseMs + ctx.expirySlackMs);
}

/** Tracks when something last moved. */
export interface ProgressWatch {
  /** How long without progress counts as stuck, in ms. */
  readonly stallMs: number;
  /** Something moved (a task claimed or finished, a claim or session freed). */
  progressed(): void;
  /** Milliseconds since the last progress (or since the watch started). */
  idleMs(): number;
  /** True once nothing has moved for `stallMs`. */
  stalled(): boolean;
}

/** A watch that starts now; `now` is the wall clock unless a test gives its own. */
export function progressWatch(stallMs: number, now: () => number = Date.now): ProgressWatch {
  let last = now();
  return {
    stallMs,
    progressed: () => void (last = now()),
    idleMs: () => now() - last,
    stalled: () => now() - last >= stallMs,
  };
}

/**
 * Runs `step` until it says it is done, or until it made no progress for `watch.stallMs`: each step
 * reports whether it moved anything; between steps without progress it pauses `pauseMs`.
 */
export async function untilDoneOrStalled(
  watch: ProgressWatch,
  step: () => Promise<{ readonly done: boolean; readonly progressed: boolean }>,
  pauseMs = 50,
): Promise<'done' | 'stalled'> {
  for (;;) {
    const r = await step();
    if (r.done) return 'done';
    if (r.progressed) watch.progressed();
    else if (watch.stalled()) return 'stalled';
    else await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
