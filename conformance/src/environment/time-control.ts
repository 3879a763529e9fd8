import { ManualClock } from '@stateproof/core';

/**
 * Time as the suite sees it. With an injectable clock, `advance` moves the adapter's clock and there
 * is no uncertainty. Without one (server clocks) `advance` sleeps, and `slackMs` is the adapter's
 * declared expiry tolerance: a model must accept either outcome for an expiry that falls within it.
 */
export interface TimeControl {
  /** The suite's view of now, in epoch ms. */
  now(): number;
  /** Lets `ms` pass: moves the manual clock, or sleeps on a server clock. */
  advance(ms: number): Promise<void>;
  /** How far an observed expiry may be from the computed one. */
  readonly slackMs: number;
  /** True when time is fully controlled (a manual clock). */
  readonly exact: boolean;
}

/** Time driven through a manual clock shared with the adapter. */
export function manualTime(clock: ManualClock): TimeControl {
  return {
    now: () => clock.now(),
    advance: async (ms) => clock.advance(ms),
    slackMs: 0,
    exact: true,
  };
}

/** Real time, for adapters that take time from their server. */
export function realTime(slackMs: number): TimeControl {
  return {
    now: () => Date.now(),
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    slackMs,
    exact: false,
  };
}
