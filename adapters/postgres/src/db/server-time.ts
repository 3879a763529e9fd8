/** The session setting through which an injected clock (tests only) reaches the SQL. */
export const CLOCK_SETTING = 'stateproof.now_ms';

/**
 * The instant every statement works with, in epoch milliseconds. In production it is the server's
 * clock, the one clock all processes share; `clock_timestamp()` rather than
 * `now()` because a statement that waited for a row lock must judge a lease by the time it acts,
 * not the time it started. An adapter given a clock (tests only) sets {@link CLOCK_SETTING} before
 * each statement, so that the exact model-based properties can run against the real SQL.
 */
export const NOW = `coalesce(nullif(current_setting('${CLOCK_SETTING}', true), '')::bigint, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)`;
