import {
  createEventBuffer,
  filterMatcher,
  WakeSignal,
  type Assertion,
  type DataspaceEvent,
  type DataspaceFilter,
  type RetractReason,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import type { RedisStoreContext } from './redis-store-context.js';

/** One entry of a dataspace's change log. */
export interface DataspaceChange {
  readonly revision: number;
  readonly type: 'asserted' | 'retracted';
  readonly id: string;
  /** The value asserted; null for a retraction. */
  readonly value: string | null;
  readonly session: string;
  readonly owner: string;
  /** Why it was retracted; null for an assertion. */
  readonly reason: RetractReason | null;
}

/** What a subscription reads: snapshots, and the change log after a revision. */
export interface DataspaceChangeSource {
  /** The matching assertions and the revision they were read at, from one atomic read. */
  snapshot(): Promise<{ revision: number; assertions: Assertion[] }>;
  /** Up to `count` changes after `revision`, in revision order (any id: the subscription filters). */
  changesAfter(revision: number, count: number): Promise<DataspaceChange[]>;
}

/** Changes read from the log at once. */
const PAGE = 512;

function eventOf(c: DataspaceChange): DataspaceEvent {
  return c.type === 'asserted'
    ? {
        type: 'asserted',
        revision: c.revision,
        assertion: { id: c.id, value: c.value as string, session: c.session, owner: c.owner, revision: c.revision },
      }
    : {
        type: 'retracted',
        revision: c.revision,
        id: c.id,
        session: c.session,
        owner: c.owner,
        reason: c.reason ?? 'retracted',
      };
}

/**
 * A subscription to a Redis dataspace: a snapshot at revision R, then the change log after R in
 * revision order. Log entry ids are revisions and every change has one, so the log is contiguous: a
 * first entry after the position that is not position + 1 means the log was trimmed past this
 * subscriber, which then resynchronises (a `resync` event and a fresh snapshot), as does one whose
 * buffer is full. The PUBLISH on the surface's wake channel only wakes the pump, which also polls
 * every `pollIntervalMs`: a hint lost while the pub/sub connection was down delays a change, never
 * loses it. A read that fails (a dropped connection) is tried again on the next round from the same
 * position, and a resync that fails stays owed, so nothing is skipped.
 */
export async function subscribeToChanges(
  ctx: RedisStoreContext,
  filter: DataspaceFilter,
  options: { readonly bufferSize?: number },
  source: DataspaceChangeSource,
): Promise<Subscription<DataspaceEvent>> {
  const matches = filterMatcher(filter);
  const signal = new WakeSignal();
  let closed = false;
  let untrack = () => {};
  const listening = ctx.subscriber.listen(ctx.keys.fixed('wake'), () => signal.poke());
  const { subscription, sink } = createEventBuffer<DataspaceEvent>({
    bufferSize: Math.max(2, options.bufferSize ?? 1024),
    onClose: () => {
      closed = true;
      listening.close();
      untrack();
      signal.poke();
    },
  });
  let first: { revision: number; assertions: Assertion[] };
  try {
    // Listening before the snapshot, so that a change made after it wakes the pump at once; a
    // subscriber connection that cannot be made now only costs the polling delay.
    await listening.ready.catch(() => undefined);
    first = await source.snapshot();
  } catch (error) {
    await subscription.close();
    throw error;
  }
  sink.push({ type: 'snapshot', ...first });
  untrack = ctx.lifecycle.track(() => subscription.close());

  let position = first.revision;
  /** Set when the subscriber lagged (full buffer, or trimmed log) until a fresh snapshot is in its buffer. */
  let owed = false;
  const resync = async (): Promise<void> => {
    const fresh = await source.snapshot();
    if (closed) return;
    sink.replace([
      { type: 'resync', reason: 'lagged' },
      { type: 'snapshot', ...fresh },
    ]);
    position = fresh.revision;
    owed = false;
  };
  /** One round: returns true when it left work behind (a full page, or a resync). */
  const step = async (): Promise<boolean> => {
    if (owed) {
      await resync();
      return true;
    }
    const changes = await source.changesAfter(position, PAGE);
    if (closed) return false;
    if (changes[0] && changes[0].revision !== position + 1) {
      owed = true;
      return true;
    }
    for (const c of changes) {
      if (matches(c.id) && !sink.push(eventOf(c))) {
        owed = true;
        return true;
      }
      position = c.revision;
    }
    return changes.length === PAGE;
  };
  void (async () => {
    while (!closed) {
      signal.clear();
      let again = false;
      try {
        again = await step();
      } catch {
        // The connection dropped or the adapter is closing: the next round reads from the same position.
      }
      if (!closed && !again) await signal.wait(ctx.pollIntervalMs);
    }
  })();
  return subscription;
}
