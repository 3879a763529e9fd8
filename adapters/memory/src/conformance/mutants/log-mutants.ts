import { MemoryLogStore, newLogSpace } from '../../memory-log-store.js';
import { LogTrimmedError, type LogEntry, type LogStore, type LogBinding } from '@stateproof/core/adapter-kit';
import type { Mutant } from '@stateproof/conformance';
import { MemoryAdapter } from '../../memory-adapter.js';
import { mutantTarget, type MutantAdapterClass } from './mutant-target.js';

type StoreClass = new (...args: ConstructorParameters<typeof MemoryLogStore>) => MemoryLogStore;
type Stream =
  Parameters<MemoryLogStore['append']> extends never
    ? never
    : { entries: LogEntry[]; last: number; waiters: Set<() => void> };

/** The memory adapter with its log store replaced by `Store`. */
export function withLogStore(Store: StoreClass): MutantAdapterClass {
  return class extends MemoryAdapter {
    override async openLog(binding: LogBinding): Promise<LogStore> {
      this.lifecycle.assertOpen();
      return new Store(this.ns.space('log', binding.space, newLogSpace), binding, this.clock, this.lifecycle);
    }
  };
}

/** Sequences come from a counter of this process (this store instance), as in the bubustack RFC's complaint. */
class ProcessCounter extends MemoryLogStore {
  private readonly counters = new Map<object, number>();
  protected override nextSeq(s: Stream): number {
    const n = (this.counters.get(s) ?? 0) + 1;
    this.counters.set(s, n);
    return n;
  }
}

/** A read that starts before the oldest retained entry silently returns what is left. */
class SilentGap extends MemoryLogStore {
  protected override slice(s: Stream, stream: string, after: number, limit: number): LogEntry[] {
    try {
      return super.slice(s, stream, after, limit);
    } catch (error) {
      if (!(error instanceof LogTrimmedError)) throw error;
      return s.entries.slice(0, limit);
    }
  }
}

/** Cursor commits are taken as given, even backwards. */
class CursorBackwards extends MemoryLogStore {
  override async commitCursor(stream: string, consumer: string, seq: number): Promise<void> {
    return super.commitCursor(stream, consumer, seq, { reset: true });
  }
}

/** Retention by count keeps one entry too many. */
class RetentionOffByOne extends MemoryLogStore {
  protected override trim(s: Stream): void {
    const r = this.binding.retention;
    if (r?.maxEntries !== undefined && s.entries.length > r.maxEntries + 1)
      s.entries.splice(0, s.entries.length - r.maxEntries - 1);
    if (r?.maxAgeMs !== undefined) {
      const cutoff = this.clock.now() - r.maxAgeMs;
      while (s.entries.length > 0 && (s.entries[0] as LogEntry).at <= cutoff) s.entries.shift();
    }
  }
}

/** The log mutants. */
export const LOG_MUTANTS: readonly Mutant[] = [
  {
    name: 'log-sequence-from-process-counter',
    kind: 'log',
    bug: 'sequences come from a counter in the writing process, so two writers reuse numbers',
    breaks: ['LOG-002', 'LOG-003'],
    target: () => mutantTarget('log-sequence-from-process-counter', withLogStore(ProcessCounter)),
  },
  {
    name: 'log-silent-gap-on-trimmed-read',
    kind: 'log',
    bug: 'a read from before the oldest retained entry returns the rest without saying entries are missing',
    breaks: ['LOG-010'],
    target: () => mutantTarget('log-silent-gap-on-trimmed-read', withLogStore(SilentGap)),
  },
  {
    name: 'log-cursor-moves-backwards',
    kind: 'log',
    bug: 'a consumer cursor can be committed backwards without reset',
    breaks: ['LOG-013'],
    target: () => mutantTarget('log-cursor-moves-backwards', withLogStore(CursorBackwards)),
  },
  {
    name: 'log-retention-off-by-one',
    kind: 'log',
    bug: 'retention by count keeps one entry more than maxEntries',
    breaks: ['LOG-008'],
    target: () => mutantTarget('log-retention-off-by-one', withLogStore(RetentionOffByOne)),
  },
];
