import { InvalidHistoryError } from './invalid-history-error.js';
import type { Operation } from './operation.js';

/** The type of an event: a call made (`invoke`), or how it ended. */
export type HistoryEventType = 'invoke' | 'ok' | 'fail' | 'info';

/**
 * One line of a recorded history, in the shape Jepsen-style tools write: a process invokes a
 * function `f` with a `value`, and the same process later reports `ok` (it happened, with this
 * result), `fail` (it certainly did not happen) or `info` (nobody knows: it may have happened, at
 * any time after the invoke).
 */
export interface HistoryEvent {
  /** The process (client, thread) that made the call. Events of the `nemesis` process are ignored. */
  readonly process: number | string;
  /** The call made, or how it ended. */
  readonly type: HistoryEventType;
  /** The function called (`read`, `write`, `cas`, `get`, `put`, `append`, or a stateproof model's op). */
  readonly f: string;
  /** The argument on `invoke`, the result on `ok`. */
  readonly value?: unknown;
  /** The key or object the call touches, when the history has several (partitions are per key). */
  readonly key?: string;
  /** A monotonic instant (any unit). Without it, the line number orders the events. */
  readonly time?: number;
}

/** How a model reads the calls of a recorded history. */
export interface HistoryReader<I, O> {
  /** The model's input for an invoke; throws an Error whose message says what is wrong. */
  input(event: HistoryEvent): I;
  /** The model's output for the `ok` that completed `input`. */
  output(input: I, ok: HistoryEvent): O;
}

/** A recorded history turned into operations, with what was left out. */
export interface ReadHistory<I, O> {
  /** The calls that happened or may have happened, in invoke order (failed calls left out). */
  readonly operations: Operation<I, O>[];
  /** Events read (nemesis events and blank lines not counted). */
  readonly events: number;
  /** Calls that ended in `fail`: they did not happen, so they are not checked. */
  readonly failed: number;
  /** Calls whose outcome is unknown (`info`, or never completed). */
  readonly indeterminate: number;
  /** The process of each client number, for reports (`client` k is `processes[k]`). */
  readonly processes: readonly (number | string)[];
}

const TYPES: readonly string[] = ['invoke', 'ok', 'fail', 'info'];

/**
 * Reads a history of JSON lines (see {@link HistoryEvent}) into operations for the checker. Each
 * process has at most one call open: its next event after an invoke completes it. A call that
 * never completes, or completes with `info`, may have taken effect at any time after its invoke;
 * a `fail` did not happen and is dropped. Throws {@link InvalidHistoryError} with the line number
 * for anything malformed; never guesses.
 */
export function readHistory<I, O>(text: string, reader: HistoryReader<I, O>): ReadHistory<I, O> {
  const open = new Map<string, { line: number; event: HistoryEvent; input: I; invoke: number; client: number }>();
  const clients = new Map<string, number>();
  const processes: (number | string)[] = [];
  const done: { op: Operation<I, O>; line: number }[] = [];
  let events = 0;
  let failed = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  let timed: boolean | undefined;
  const lines = text.split('\n');
  for (let n = 1; n <= lines.length; n++) {
    const raw = (lines[n - 1] ?? '').trim();
    if (raw === '') continue;
    const event = parseEvent(raw, n);
    if (event.process === 'nemesis' || event.process === ':nemesis') continue;
    events++;
    if (timed === undefined) timed = event.time !== undefined;
    else if (timed !== (event.time !== undefined))
      throw new InvalidHistoryError(n, 'some events have a time and some do not', 'Give every event a time, or none.');
    const time = event.time ?? n;
    if (time < lastTime)
      throw new InvalidHistoryError(
        n,
        `time ${time} goes back (the line before says ${lastTime})`,
        'Events must be in the order they happened.',
      );
    lastTime = time;
    const proc = `${typeof event.process}:${event.process}`;
    const pending = open.get(proc);
    if (event.type === 'invoke') {
      if (pending)
        throw new InvalidHistoryError(
          n,
          `process ${JSON.stringify(event.process)} invokes ${event.f} while its ${pending.event.f} of line ${pending.line} is still open`,
          'A process makes one call at a time: complete the open one with ok, fail or info first.',
        );
      let client = clients.get(proc);
      if (client === undefined) {
        clients.set(proc, (client = processes.length));
        processes.push(event.process);
      }
      let input: I;
      try {
        input = reader.input(event);
      } catch (error) {
        throw new InvalidHistoryError(n, (error as Error).message);
      }
      open.set(proc, { line: n, event, input, invoke: time, client });
      continue;
    }
    if (!pending)
      throw new InvalidHistoryError(
        n,
        `process ${JSON.stringify(event.process)} reports ${event.type} for ${event.f} with no open invoke`,
        'Each ok, fail or info completes the invoke of the same process just before it.',
      );
    if (event.key !== undefined && pending.event.key !== undefined && event.key !== pending.event.key)
      throw new InvalidHistoryError(
        n,
        `${event.type} of ${event.f} on key ${JSON.stringify(event.key)} completes an invoke on key ${JSON.stringify(pending.event.key)} (line ${pending.line})`,
      );
    if (pending.event.f !== event.f)
      throw new InvalidHistoryError(
        n,
        `${event.type} of ${event.f} completes an invoke of ${pending.event.f} (line ${pending.line})`,
      );
    open.delete(proc);
    if (event.type === 'fail') {
      failed++;
      continue;
    }
    if (event.type === 'info') {
      done.push({ op: { client: pending.client, input: pending.input, invoke: pending.invoke }, line: pending.line });
      continue;
    }
    let output: O;
    try {
      output = reader.output(pending.input, event);
    } catch (error) {
      throw new InvalidHistoryError(n, (error as Error).message);
    }
    done.push({
      op: { client: pending.client, input: pending.input, invoke: pending.invoke, complete: time, output },
      line: pending.line,
    });
  }
  for (const p of open.values())
    done.push({ op: { client: p.client, input: p.input, invoke: p.invoke }, line: p.line });
  if (events === 0) throw new InvalidHistoryError(0, 'the history has no events', 'Write one JSON event per line.');
  const operations = done.sort((a, b) => a.line - b.line).map((d) => d.op);
  return {
    operations,
    events,
    failed,
    indeterminate: operations.filter((o) => o.complete === undefined).length,
    processes,
  };
}

function parseEvent(raw: string, line: number): HistoryEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new InvalidHistoryError(line, `not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidHistoryError(line, 'an event must be a JSON object');
  const e = value as Record<string, unknown>;
  if (!(typeof e.process === 'string' || (typeof e.process === 'number' && Number.isInteger(e.process))))
    throw new InvalidHistoryError(line, '"process" must be an integer or a string');
  if (typeof e.type !== 'string' || !TYPES.includes(e.type))
    throw new InvalidHistoryError(line, `"type" must be one of ${TYPES.join(', ')}, got ${JSON.stringify(e.type)}`);
  if (typeof e.f !== 'string' || e.f === '') throw new InvalidHistoryError(line, '"f" must be a non-empty string');
  if (e.key !== undefined && typeof e.key !== 'string' && typeof e.key !== 'number')
    throw new InvalidHistoryError(line, '"key" must be a string or a number');
  if (e.time !== undefined && (typeof e.time !== 'number' || !Number.isFinite(e.time)))
    throw new InvalidHistoryError(line, '"time" must be a finite number');
  return {
    process: e.process,
    type: e.type as HistoryEventType,
    f: e.f,
    ...('value' in e ? { value: e.value } : {}),
    ...(e.key === undefined ? {} : { key: String(e.key) }),
    ...(e.time === undefined ? {} : { time: e.time as number }),
  };
}
