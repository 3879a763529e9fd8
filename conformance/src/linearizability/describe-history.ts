import type { LinearizabilityResult } from './check-linearizability.js';
import { outputOf, UNKNOWN, type Operation } from './operation.js';
import type { SequentialModel } from './sequential-model.js';

function json(value: unknown): string {
  if (value === UNKNOWN) return '?';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The earliest invoke, by a loop: spreading a large history into Math.min overflows the stack. */
function firstInvoke(ops: readonly Operation<unknown, unknown>[]): number {
  let t = Number.POSITIVE_INFINITY;
  for (const o of ops) if (o.invoke < t) t = o.invoke;
  return t;
}

/** One operation in words, through the model's `describeOperation` when it has one. */
export function describeOperation<I, O>(
  model: Pick<SequentialModel<unknown, I, O>, 'describeOperation'>,
  op: Operation<I, O>,
): string {
  const out = outputOf(op);
  return model.describeOperation ? model.describeOperation(op.input, out) : `${json(op.input)} -> ${json(out)}`;
}

/**
 * A history as a table, one line per operation in invoke order: client, invoke and complete times
 * in ms from the first invoke, and the operation. Calls that never returned show `…`.
 */
export function describeHistory<I, O>(
  model: Pick<SequentialModel<unknown, I, O>, 'describeOperation'>,
  ops: readonly Operation<I, O>[],
  options: { readonly origin?: number; readonly mark?: ReadonlySet<Operation<I, O>> } = {},
): string {
  const origin = options.origin ?? firstInvoke(ops);
  const t = (x: number) => (x - origin).toFixed(3).padStart(9);
  return [...ops]
    .sort((a, b) => a.invoke - b.invoke)
    .map(
      (op) =>
        `${options.mark?.has(op) ? '>' : ' '} c${String(op.client).padEnd(3)}${t(op.invoke)} ..${op.complete === undefined ? '        …' : t(op.complete)}  ${describeOperation(model, op)}`,
    )
    .join('\n');
}

/** The checker's verdict in words: for a failure, the longest linearisable prefix, the operations that cannot follow it, and the partition's history. */
export function describeResult<S, I, O>(
  model: SequentialModel<S, I, O>,
  result: LinearizabilityResult<S, I, O>,
): string {
  const head = `${result.operations} operations in ${result.partitions} partition(s), ${result.steps} search steps, ${result.durationMs.toFixed(1)} ms`;
  if (result.verdict === 'linearizable') return `linearizable: ${head}`;
  if (result.verdict === 'unknown') return `unknown (${result.reason}): ${head}`;
  const f = result.failure;
  const origin = firstInvoke(f.operations);
  const state = model.describeState ? model.describeState(f.state) : json(f.state);
  const lines = [
    `not linearizable: ${head}`,
    `partition ${f.partition + 1}: the longest linearizable prefix has ${f.prefix.length} of its ${f.operations.length} operations:`,
    ...(f.prefix.length === 0
      ? ['  (none)']
      : f.prefix.map((op, k) => `  ${String(k + 1).padStart(3)}. c${op.client} ${describeOperation(model, op)}`)),
    `state after it: ${state}`,
    'no operation can come next:',
    ...f.unplaced.map(
      (u) =>
        `  c${u.operation.client} ${describeOperation(model, u.operation)}${u.operation === f.blocked ? ' (must come next: it returned first)' : ''}\n      ${u.why}${u.violates.length ? ` [${u.violates.join(', ')}]` : ''}`,
    ),
    'history of the partition (ms; > marks the operations above):',
    describeHistory(model, f.operations, { origin, mark: new Set(f.unplaced.map((u) => u.operation)) }),
  ];
  return lines.join('\n');
}
