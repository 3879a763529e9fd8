import {
  createEventBuffer,
  filterMatcher,
  WakeSignal,
  type Assertion,
  type DataspaceEvent,
  type DataspaceFilter,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import type { Row } from '../db/pg-database.js';
import type { PgDataspaceContext } from './pg-store-context.js';

/**
 * A subscription to a Postgres dataspace: the snapshot `list` gives (the assertions and the
 * revision, from one statement), then the change feed after that revision, in revision order. The
 * feed's revisions are contiguous, so a hole means it was pruned past this subscriber, who then
 * resynchronises with a fresh snapshot; so does one whose buffer is full. NOTIFY only wakes the
 * pump, which polls too: a lost notification or a dropped connection delays a change, never loses it.
 */
export async function subscribeToChanges(
  ctx: PgDataspaceContext,
  filter: DataspaceFilter,
  options: { readonly bufferSize?: number },
  list: () => Promise<{ revision: number; assertions: Assertion[] }>,
): Promise<Subscription<DataspaceEvent>> {
  const [space, channel] = await Promise.all([ctx.spaceId(), ctx.channel()]);
  const matches = filterMatcher(filter);
  const signal = new WakeSignal();
  let closed = false;
  const listening = ctx.listener.listen(channel, () => signal.poke());
  listening.ready.catch(() => undefined); // polling covers a listener that is down
  let untrack = () => {};
  const { subscription, sink } = createEventBuffer<DataspaceEvent>({
    bufferSize: Math.max(2, options.bufferSize ?? 1024),
    onClose: () => {
      closed = true;
      listening.close();
      untrack();
      signal.poke();
    },
  });
  const snapshot = async (): Promise<DataspaceEvent & { type: 'snapshot' }> => {
    const { revision, assertions } = await list();
    return { type: 'snapshot', revision, assertions };
  };
  let first: DataspaceEvent & { type: 'snapshot' };
  try {
    first = await snapshot();
  } catch (error) {
    await subscription.close();
    throw error;
  }
  sink.push(first);
  untrack = ctx.lifecycle.track(() => subscription.close());
  let position = first.revision;
  const resync = async (): Promise<void> => {
    const fresh = await snapshot();
    sink.replace([{ type: 'resync', reason: 'lagged' }, fresh]);
    position = fresh.revision;
  };
  const pump = async (): Promise<void> => {
    while (!closed) {
      signal.clear();
      let rows: Row[] = [];
      try {
        rows = await ctx.db.query(
          'reading the change feed',
          `select revision, type, id, value, session_id, owner, reason from ${ctx.s}.ds_changes where space_id = $1 and revision > $2 order by revision limit 500`,
          [space, position],
          { idempotent: true },
        );
        if (closed) return;
        // Revisions are contiguous; a hole means the feed was pruned past this subscriber.
        if (rows[0] && Number(rows[0]['revision']) !== position + 1) {
          await resync();
          continue;
        }
        for (const r of rows) {
          const revision = Number(r['revision']);
          const id = r['id'] as string;
          if (!matches(id)) {
            position = revision;
            continue;
          }
          const event: DataspaceEvent =
            r['type'] === 'asserted'
              ? {
                  type: 'asserted',
                  revision,
                  assertion: {
                    id,
                    value: r['value'] as string,
                    session: String(r['session_id']),
                    owner: r['owner'] as string,
                    revision,
                  },
                }
              : {
                  type: 'retracted',
                  revision,
                  id,
                  session: String(r['session_id']),
                  owner: r['owner'] as string,
                  reason: r['reason'] as 'retracted' | 'closed' | 'expired',
                };
          if (!sink.push(event)) {
            // The position stays before this change until a resync replaced the buffer: a resync
            // that fails (a lost connection) leaves it owed, and the next round tries again.
            await resync();
            break;
          }
          position = revision;
        }
      } catch {
        // A lost connection: the feed keeps every change, so the next round catches up.
        rows = [];
      }
      if (!closed && rows.length === 0) await signal.wait(ctx.pollIntervalMs);
    }
  };
  void pump();
  return subscription;
}
