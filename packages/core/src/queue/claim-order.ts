/** What the claim order compares of a task. */
export interface ClaimOrderKey {
  /** Higher first. */
  readonly priority: number;
  /** Due time (epoch ms). */
  readonly runAt: number;
  /** Enqueue order: any value that increases with each enqueue of the surface. */
  readonly seq: number | bigint;
}

/**
 * The order in which claims take due tasks (spec/contract/queue.md): higher priority first, then
 * the earlier due time, then enqueue order. A comparator for `Array.prototype.sort`.
 */
export function compareClaimOrder(a: ClaimOrderKey, b: ClaimOrderKey): number {
  return b.priority - a.priority || a.runAt - b.runAt || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);
}
