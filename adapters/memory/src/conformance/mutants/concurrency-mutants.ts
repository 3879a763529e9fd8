import { MemoryClaimStore, newClaimSpace } from '../../memory-claim-store.js';
import { MemoryLogStore } from '../../memory-log-store.js';
import { MemoryQueueStore, newQueueSpace, type MemoryTask } from '../../memory-queue-store.js';
import { MemoryRecordStore, newRecordSpace } from '../../memory-record-store.js';
import {
  VersionConflictError,
  type AcquireResult,
  type ClaimedTask,
  type ClaimStore,
  type QueueClaimOptions,
  type QueueStore,
  type RecordPutOptions,
  type RecordStore,
  type ClaimBinding,
  type QueueBinding,
  type RecordBinding,
} from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { withLogStore } from './log-mutants.js';
import { mutantTarget } from './mutant-target.js';

// The memory adapter runs each call synchronously, so it never races. These mutants open the race
// window a networked backend has between a read and the write that depends on it: a check, one
// macrotask (another client's call runs here), then the act on the stale check. Run one call at a
// time, each behaves exactly like the memory adapter, so only concurrent clients can catch them.

/** One macrotask: every call already in flight on other clients gets to run. */
const raceWindow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** put() checks its condition, then writes after the race window: two read-modify-writes at one version both succeed. */
class CheckThenPut extends MemoryRecordStore {
  override async put(
    key: string,
    value: string,
    options: RecordPutOptions = {},
  ): Promise<{ version: number; expiresAt: number | null }> {
    const current = this.live(key);
    if (!this.casHolds(current, options))
      throw new VersionConflictError(
        key,
        options.ifAbsent ? 'absent' : (options.ifVersion as number),
        current?.version ?? null,
      );
    await raceWindow();
    return super.put(key, value, options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs });
  }
}

/** acquire() sees the key free, then takes it after the race window with the token it computed then: two holders, one token. */
class CheckThenAcquire extends MemoryClaimStore {
  override async acquire(key: string, owner: string, leaseMs: number): Promise<AcquireResult> {
    const c = this.space.claims.get(key);
    const seen = c && { state: c.state, token: c.token, takeovers: c.takeovers };
    if (
      seen &&
      (seen.state === 'completed' ||
        seen.state === 'abandoned' ||
        (seen.state === 'held' && !this.expired(c, this.clock.now())))
    )
      return super.acquire(key, owner, leaseMs);
    await raceWindow();
    const now = this.clock.now();
    const takeover = seen?.state === 'held';
    const token = (seen?.token ?? 0) + 1;
    this.space.claims.set(key, {
      key,
      state: 'held',
      holder: owner,
      token,
      expiresAt: now + leaseMs,
      acquiredAt: now,
      renewedAt: now,
      completedAt: null,
      result: null,
      reason: null,
      takeovers: (seen?.takeovers ?? 0) + (takeover ? 1 : 0),
    });
    return { status: 'acquired', token, takeover, acquiredAt: now, expiresAt: now + leaseMs };
  }
}

/** claim() picks its tasks (a SELECT without FOR UPDATE), then starts them after the race window: one task, two workers. */
class SelectThenClaim extends MemoryQueueStore {
  override async claim(options: QueueClaimOptions): Promise<ClaimedTask[]> {
    const now = this.clock.now();
    const { global, perQueue } = this.binding.concurrency;
    let running = 0;
    const perQueueRunning = new Map<string, number>();
    for (const t of this.space.tasks.values()) {
      if (t.state !== 'running') continue;
      running++;
      perQueueRunning.set(t.queue, (perQueueRunning.get(t.queue) ?? 0) + 1);
    }
    const picked: MemoryTask[] = [];
    for (const t of this.candidates(options.queues, now)) {
      if (picked.length >= options.limit || (global !== undefined && running >= global)) break;
      const inQueue = perQueueRunning.get(t.queue) ?? 0;
      if (perQueue !== undefined && inQueue >= perQueue) continue;
      picked.push(t);
      running++;
      perQueueRunning.set(t.queue, inQueue + 1);
    }
    await raceWindow();
    return picked.map((t) => this.start(t, options.worker, now, options.leaseMs));
  }
}

/**
 * append() reads the stream's last sequence (a SELECT max(seq)), then inserts after the race window
 * at the sequences that followed it then: each instance counts on from what it last read of the
 * shared state, so two writers hand out one sequence.
 */
class ReadThenAppend extends MemoryLogStore {
  override async append(stream: string, values: readonly string[]): Promise<number[]> {
    const s = this.stream(stream);
    const last = s.last;
    await raceWindow();
    const at = this.clock.now();
    const seqs = values.map((value, i) => {
      s.entries.push({ seq: last + 1 + i, value, at });
      return last + 1 + i;
    });
    s.last = Math.max(s.last, last + values.length);
    this.trim(s);
    for (const wake of [...s.waiters]) wake();
    return seqs;
  }
}

/** A batch is appended one entry per round trip, each atomic on its own: another writer's entry can land inside it. */
class EntryByEntryBatch extends MemoryLogStore {
  override async append(stream: string, values: readonly string[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const [i, value] of values.entries()) {
      if (i > 0) await raceWindow();
      seqs.push(...(await super.append(stream, [value])));
    }
    return seqs;
  }
}

class CheckThenPutAdapter extends MemoryAdapter {
  override async openRecord(binding: RecordBinding): Promise<RecordStore> {
    this.lifecycle.assertOpen();
    return new CheckThenPut(this.ns.space('record', binding.space, newRecordSpace), binding, this.clock);
  }
}

class CheckThenAcquireAdapter extends MemoryAdapter {
  override async openClaim(binding: ClaimBinding): Promise<ClaimStore> {
    this.lifecycle.assertOpen();
    return new CheckThenAcquire(this.ns.space('claim', binding.space, newClaimSpace), this.clock);
  }
}

class SelectThenClaimAdapter extends MemoryAdapter {
  override async openQueue(binding: QueueBinding): Promise<QueueStore> {
    this.lifecycle.assertOpen();
    return new SelectThenClaim(
      this.ns.space('queue', binding.space, newQueueSpace),
      this.ns,
      binding,
      this.clock,
      this.random,
    );
  }
}

/** Mutants whose bug is a race: invisible one call at a time, caught only by the concurrency properties. */
export const CONCURRENCY_MUTANTS: readonly Mutant[] = [
  {
    name: 'record-cas-race-lost-update',
    kind: 'record',
    bug: 'put checks ifVersion/ifAbsent, then writes a moment later: concurrent compare-and-sets at one version all succeed',
    breaks: ['REC-006', 'REC-007'],
    target: () => mutantTarget('record-cas-race-lost-update', CheckThenPutAdapter),
  },
  {
    name: 'log-sequence-read-then-append-race',
    kind: 'log',
    bug: "each append reads the stream's last sequence, then writes the next ones a moment later: two instances appending at once hand out one sequence",
    breaks: ['LOG-002', 'LOG-003'],
    target: () => mutantTarget('log-sequence-read-then-append-race', withLogStore(ReadThenAppend)),
  },
  {
    name: 'log-batch-not-contiguous',
    kind: 'log',
    bug: "a batch is appended one entry at a time, so another writer's entry lands between its sequences",
    breaks: ['LOG-004'],
    target: () => mutantTarget('log-batch-not-contiguous', withLogStore(EntryByEntryBatch)),
  },
  {
    name: 'claim-acquire-race-two-holders',
    kind: 'claim',
    bug: 'acquire sees the key free, then takes it a moment later: two owners hold one key under the same token',
    breaks: ['CLM-002', 'CLM-003'],
    target: () => mutantTarget('claim-acquire-race-two-holders', CheckThenAcquireAdapter),
  },
  {
    name: 'queue-claim-race-double-delivery',
    kind: 'queue',
    bug: 'claim selects due tasks, then starts them a moment later: two workers hold one task under unexpired leases',
    breaks: ['QUE-006'],
    target: () => mutantTarget('queue-claim-race-double-delivery', SelectThenClaimAdapter),
  },
];
