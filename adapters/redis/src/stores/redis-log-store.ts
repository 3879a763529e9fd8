import { createHash } from 'node:crypto';
import {
  createPullSubscription,
  cursorCommitError,
  trimmedRead,
  trimmedResync,
  type LogBinding,
  type LogEntry,
  type LogEvent,
  type LogReadOptions,
  type LogStore,
  type ProjectionCommit,
  type ProjectionLogAppend,
  type Subscription,
} from '@stateproof/core/adapter-kit';
import {
  LOG_APPEND,
  LOG_APPLY_PROJECTION,
  LOG_COMMIT_CURSOR,
  LOG_GET_CURSOR,
  LOG_READ,
} from '../scripts/log-scripts.js';
import { PROJECTION_CURSOR } from '../scripts/projection-scripts.js';
import { settleProjectionReply } from './redis-projection-reply.js';
import type { RedisStoreContext } from './redis-store-context.js';

type Reply = Array<string | number | null>;

/** Entries a tail fetches per round trip. */
const TAIL_BATCH = 200;

/** The wake-up payload of a stream: a short digest, so that a tail wakes only for its own stream (a collision only wakes it for nothing). */
function streamDigest(stream: string): string {
  return createHash('sha256').update(stream, 'utf8').digest('hex').slice(0, 12);
}

/** What one read script saw: the last assigned sequence, the oldest retained one, and the entries it returned. */
interface LogWindow {
  readonly last: number;
  readonly oldest: number | null;
  readonly entries: LogEntry[];
}

/**
 * Logs in Redis (spec/contract/log.md; structures in log-scripts.ts). Each operation is one script:
 * an append reserves its sequences in the stream's meta hash, adds the entries and trims in one
 * atomic step, so a batch is consecutive and whole, and a sequence is never handed out twice (the
 * meta hash is never trimmed or deleted). Reads see the retained range and the entries at one
 * instant and leave the trimmed-read decision to core. Tails poll that read, woken early by the
 * PUBLISH every append makes on the surface's wake channel.
 */
export class RedisLogStore implements LogStore {
  /** The scripts of each operation: a seam for the conformance kit's mutants, which swap one for a broken one. */
  protected scripts = {
    append: LOG_APPEND,
    read: LOG_READ,
    getCursor: LOG_GET_CURSOR,
    commitCursor: LOG_COMMIT_CURSOR,
    applyProjection: LOG_APPLY_PROJECTION,
    projectionCursor: PROJECTION_CURSOR,
  };
  private readonly wakeChannel: string;
  private readonly maxEntries: number | '';
  private readonly maxAgeMs: number | '';
  /** The committed cursor, when the surface is a derived projection. */
  private readonly cursor: string;
  /** The names of the streams a projection commit appended to: what its reset deletes. */
  private readonly projectedStreams: string;

  constructor(
    private readonly ctx: RedisStoreContext,
    private readonly binding: LogBinding,
  ) {
    this.cursor = ctx.keys.fixed('prj');
    this.projectedStreams = ctx.keys.fixed('lsn');
    this.wakeChannel = ctx.keys.fixed('wake');
    this.maxEntries = binding.retention?.maxEntries ?? '';
    this.maxAgeMs = binding.retention?.maxAgeMs ?? '';
  }

  /** The keys of one stream: meta hash, entries, cursors. */
  private keys(stream: string): { meta: string; entries: string; cursors: string } {
    return {
      meta: this.ctx.keys.of('lm', stream),
      entries: this.ctx.keys.of('ls', stream),
      cursors: this.ctx.keys.of('lc', stream),
    };
  }

  async append(stream: string, values: readonly string[]): Promise<number[]> {
    if (values.length === 0) return [];
    const k = this.keys(stream);
    const r = (await this.ctx.runner.write(
      this.scripts.append,
      'appending to a log',
      [k.meta, k.entries],
      [this.maxEntries, this.maxAgeMs, this.wakeChannel, streamDigest(stream), ...values],
    )) as Reply;
    const first = Number(r[0]);
    return Array.from({ length: Number(r[1]) }, (_, i) => first + i);
  }

  /** One read script: the retained range, and up to `limit` entries after `after` when none of them was trimmed. */
  private async window(stream: string, after: number, limit: number): Promise<LogWindow> {
    const k = this.keys(stream);
    const r = (await this.ctx.runner.read(
      this.scripts.read,
      'reading a log',
      [k.meta, k.entries],
      [after, limit, this.maxEntries, this.maxAgeMs],
    )) as Reply;
    const entries: LogEntry[] = [];
    for (let i = 2; i + 2 < r.length; i += 3)
      entries.push({ seq: Number(r[i]), at: Number(r[i + 1]), value: String(r[i + 2]) });
    return { last: Number(r[0]), oldest: r[1] === null ? null : Number(r[1]), entries };
  }

  async read(stream: string, options: LogReadOptions): Promise<LogEntry[]> {
    const w = await this.window(stream, options.after, options.limit);
    const trimmed = trimmedRead(stream, options.after, w.oldest, w.last);
    if (trimmed) throw trimmed;
    return w.entries;
  }

  async info(stream: string): Promise<{ first: number | null; last: number }> {
    // After the largest sequence there is nothing to return: only the range comes back.
    const w = await this.window(stream, Number.MAX_SAFE_INTEGER, 1);
    return { first: w.oldest, last: w.last };
  }

  async getCursor(stream: string, consumer: string): Promise<number> {
    const r = await this.ctx.runner.read(
      this.scripts.getCursor,
      'reading a cursor',
      [this.keys(stream).cursors],
      [consumer],
    );
    return Number(r);
  }

  async commitCursor(
    stream: string,
    consumer: string,
    seq: number,
    options: { readonly reset?: boolean } = {},
  ): Promise<void> {
    const k = this.keys(stream);
    const reset = options.reset === true;
    const r = (await this.ctx.runner.write(
      this.scripts.commitCursor,
      'committing a cursor',
      [k.meta, k.cursors],
      [consumer, seq, reset ? '1' : '0'],
    )) as Reply;
    if (r[0] === 'ok') return;
    const refused = cursorCommitError(stream, consumer, seq, Number(r[1]), Number(r[2]), reset);
    if (refused) throw refused;
    throw new Error(`internal: the commit of cursor ${seq} of "${consumer}" was refused at ${r[1]} of ${r[2]}`);
  }

  async subscribe(stream: string, options: { readonly after: number }): Promise<Subscription<LogEvent>> {
    this.ctx.lifecycle.assertOpen();
    const digest = streamDigest(stream);
    let position = options.after;
    // PUBLISH is only a hint: a wake-up reads at once, and the poll interval covers a lost one.
    const fetch = async (): Promise<LogEvent[]> => {
      const w = await this.window(stream, position, TAIL_BATCH);
      if (trimmedRead(stream, position, w.oldest, w.last)) {
        const event = trimmedResync(position, w.oldest, w.last);
        position = event.toSeq;
        return [event];
      }
      position = w.entries.at(-1)?.seq ?? position;
      return w.entries.map((entry): LogEvent => ({ type: 'entry', entry }));
    };
    let untrack = () => {};
    let stopListening = () => {};
    const { subscription, wake } = createPullSubscription<LogEvent>(fetch, {
      pollMs: this.ctx.pollIntervalMs,
      onClose: () => {
        untrack();
        stopListening();
      },
    });
    // A null payload: the pub/sub connection was made again and hints may have been lost meanwhile.
    const listening = this.ctx.subscriber.listen(this.wakeChannel, (payload) => {
      if (payload === null || payload === digest) wake();
    });
    stopListening = () => listening.close();
    untrack = this.ctx.lifecycle.track(() => subscription.close());
    // Wait (briefly) until SUBSCRIBE is active, so an append right after this returns wakes the tail;
    // a pub/sub connection that is down only costs the poll interval.
    await Promise.race([listening.ready.catch(() => undefined), sleep(this.ctx.pollIntervalMs)]);
    return subscription;
  }

  /**
   * One script (LOG_APPLY_PROJECTION): the cursor compared, the reset, the appends and the new
   * cursor (PRJ-003). Entries of different streams have no order between them: each stream's
   * values go together, in their order.
   */
  async applyProjection(appends: readonly ProjectionLogAppend[], commit: ProjectionCommit): Promise<void> {
    const byStream = new Map<string, string[]>();
    for (const a of appends) {
      const values = byStream.get(a.stream);
      if (values) values.push(a.value);
      else byStream.set(a.stream, [a.value]);
    }
    const streams = [...byStream];
    const r = (await this.ctx.runner.write(
      this.scripts.applyProjection,
      'committing a projection',
      [
        this.cursor,
        this.projectedStreams,
        ...streams.flatMap(([stream]) => {
          const k = this.keys(stream);
          return [k.meta, k.entries];
        }),
      ],
      [
        commit.from,
        commit.to,
        commit.reset ? '1' : '0',
        this.maxEntries,
        this.maxAgeMs,
        this.wakeChannel,
        this.ctx.keys.prefix('ls'),
        ...streams.flatMap(([stream, values]) => [stream, streamDigest(stream), values.length]),
        ...streams.flatMap(([, values]) => values),
      ],
    )) as Reply;
    settleProjectionReply(r, this.binding.surfaceId, commit);
  }

  async projectionCursor(): Promise<number> {
    return Number(
      await this.ctx.runner.read(this.scripts.projectionCursor, 'reading a projection cursor', [this.cursor], []),
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
