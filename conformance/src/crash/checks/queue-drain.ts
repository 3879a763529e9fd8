import type { QueueCounters, QueueHandle } from '@stateproof/core';
import { outcome } from '../../models/outcome.js';
import { progressWatch, type ProgressWatch } from './progress-watch.js';

/** How the final drain of a crash run went. */
export interface DrainResult {
  /** done: nothing queued or running is left; stalled: tasks remain and nothing moved for the stall limit. */
  readonly verdict: 'done' | 'stalled';
  /** Tasks the drain claimed (attempts started). */
  readonly claimed: number;
  /** Tasks the drain completed. */
  readonly finished: number;
  /** The counters when the drain ended. */
  readonly counters: QueueCounters;
  /** How long the drain took, in ms. */
  readonly durationMs: number;
  /** How long nothing had moved when it ended, in ms (the stall, for a stalled drain). */
  readonly idleMs: number;
}

/** What the drain reports about once a second while it works. */
export interface DrainProgress {
  /** Tasks queued or running still. */
  readonly remaining: number;
  /** Of which running. */
  readonly running: number;
  /** Tasks the drain completed so far. */
  readonly finished: number;
  /** Completions per second over the drain so far. */
  readonly ratePerSec: number;
  /** Time since the drain started, in ms. */
  readonly elapsedMs: number;
}

/** Options of {@link drainQueue}. */
export interface DrainOptions {
  /** No claim and no completion for this long while tasks remain: stuck. */
  readonly stallMs: number;
  /** Claim loops running side by side (default 6). */
  readonly participants?: number;
  /** Tasks each loop claims at once (default 100), completed concurrently. */
  readonly limit?: number;
  /** Pause of a loop whose claim came back empty, in ms (default 25). */
  readonly idlePauseMs?: number;
  /**
   * Pause of the controller between its looks (reap, then counters), in ms (default 500). Counting a
   * large queue costs the backend a scan, so the controller looks twice a second, not continuously.
   */
  readonly pollMs?: number;
  /** Called about once a second. */
  readonly onProgress?: (p: DrainProgress) => void;
  /** The clock the stall and the elapsed time are measured on, in ms (default: the wall clock; for tests). */
  readonly now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The harness's final drain: several participants claim batches side by side and complete each
 * batch concurrently, while a controller reaps (the harness's own attempts may lose their lease on a
 * slow backend: they are reaped and claimed again) and watches the counters. It ends when nothing is
 * queued or running, or when no task has been claimed or completed for `stallMs` while some remain:
 * judged by progress, so a large backlog drains however long it takes.
 */
export async function drainQueue(h: QueueHandle<unknown, unknown>, options: DrainOptions): Promise<DrainResult> {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const watch: ProgressWatch = progressWatch(options.stallMs, now);
  const participants = options.participants ?? 6;
  const limit = options.limit ?? 100;
  const idlePause = options.idlePauseMs ?? 25;
  let claimed = 0;
  let finished = 0;
  let stop = false;
  let failure: unknown;
  const participant = async (i: number) => {
    const worker = `harness.${i}`;
    while (!stop) {
      const tasks = await h.claim({ worker, limit });
      if (tasks.length === 0) {
        await sleep(idlePause);
        continue;
      }
      claimed += tasks.length;
      watch.progressed();
      await Promise.all(
        tasks.map(async (t) => {
          const done = await outcome(() => h.complete(t, { by: 'harness', attempt: t.attempt }));
          // A completion that outlived its lease: the task is reaped and claimed again.
          if (done.ok) {
            finished++;
            watch.progressed();
          } else if (done.code !== 'STATEPROOF_LEASE_LOST') throw done.error;
        }),
      );
    }
  };
  const loops = Array.from({ length: participants }, (_, i) =>
    participant(i).catch((error: unknown) => {
      failure ??= error;
      stop = true;
    }),
  );
  let counters: QueueCounters;
  let reported = 0;
  for (;;) {
    await h.reap();
    counters = await h.counters();
    const remaining = counters.queued + counters.running;
    const elapsed = now() - t0;
    if (options.onProgress && elapsed - reported >= 1000) {
      reported = elapsed;
      options.onProgress({
        remaining,
        running: counters.running,
        finished,
        ratePerSec: elapsed > 0 ? (finished * 1000) / elapsed : 0,
        elapsedMs: elapsed,
      });
    }
    if (remaining === 0 || watch.stalled() || failure !== undefined) break;
    await sleep(options.pollMs ?? 500);
  }
  stop = true;
  await Promise.all(loops);
  if (failure !== undefined) throw failure;
  const idleMs = watch.idleMs();
  const verdict = counters.queued + counters.running === 0 ? 'done' : 'stalled';
  // A last look: the participants may have finished the rest while the controller judged.
  if (verdict === 'stalled') counters = await h.counters();
  return {
    verdict: counters.queued + counters.running === 0 ? 'done' : verdict,
    claimed,
    finished,
    counters,
    durationMs: now() - t0,
    idleMs,
  };
}
