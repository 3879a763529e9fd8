import type { ClaimedTask, ClaimOrderKey } from '@stateproof/core/adapter-kit';
import type { Row } from '../db/pg-database.js';

/** A numeric column as a number (bigint and numeric columns arrive as strings). */
export const num = (v: unknown): number => Number(v);

/** What the claim order compares of a row: task ids come from one sequence, so they are the enqueue order. */
export function claimOrderOf(row: Row): ClaimOrderKey {
  return { priority: num(row['priority']), runAt: num(row['run_at']), seq: BigInt(row['id'] as string) };
}

/** The task a claim hands out, from its row. */
export function claimed(row: Row): ClaimedTask {
  return {
    id: String(row['id']),
    queue: row['queue'] as string,
    payload: row['payload'] as string,
    priority: num(row['priority']),
    attempt: num(row['attempts']),
    maxAttempts: num(row['max_attempts']),
    token: row['token'] as string,
    leaseExpiresAt: num(row['lease_expires_at']),
    enqueuedAt: num(row['enqueued_at']),
  };
}
