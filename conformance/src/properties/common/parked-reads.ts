/**
 * Timing of the cross-instance subscription properties. A subscriber is parked when it has yielded
 * everything and its next read is already waiting: it must then be woken by what another instance
 * writes, not find it on its next read. `PARKED_MS` is how long a read must stay quiet to count as
 * parked (a quiet read also proves nothing extra came): a read of an in-process or local backend
 * settles in far less, and one still in flight when the write lands only hides a missing wake-up
 * for that round, never fails an honest adapter. `WAKE_TIMEOUT_MS` is how long a parked subscriber
 * may take to deliver a change, long enough for an adapter that polls (Postgres polls every 500 ms
 * when a notification is lost). It is only ever waited out on the failure path.
 */
export const PARKED_MS = 5;

/** See {@link PARKED_MS}. */
export const WAKE_TIMEOUT_MS = 2_000;
