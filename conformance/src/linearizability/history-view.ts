import type { LinearizabilityResult } from './check-linearizability.js';
import { describeOperation } from './describe-history.js';
import type { Operation } from './operation.js';
import type { SequentialModel } from './sequential-model.js';

/** Options of {@link historyView}. */
export interface HistoryViewOptions {
  /** The page title (default "Linearizability check"). */
  readonly title?: string;
  /** Where the history came from, shown under the title (a file, a property and its seed). */
  readonly source?: string;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A self-contained HTML page of a checked history (no script, no external file): one lane per
 * client, each operation an interval from its invoke to its return (to the right edge when it never
 * returned). For a history that is not linearizable it shows the failing partition: the operations
 * of the longest linearizable prefix numbered in linearization order, the state after it, and the
 * operations that cannot come next, marked, each with the model's reason; the one that had to come
 * next (it returned first) is marked `blocked`. Every operation is an element of class `op` with
 * `data-index` (its place in the partition or history), for tests and for the reader's search.
 */
export function historyView<S, I, O>(
  model: SequentialModel<S, I, O>,
  result: LinearizabilityResult<S, I, O>,
  history: readonly Operation<I, O>[],
  options: HistoryViewOptions = {},
): string {
  const failure = result.verdict === 'not-linearizable' ? result.failure : undefined;
  const ops = failure ? failure.operations : history;
  const prefixAt = new Map(failure?.prefix.map((op, k) => [op, k + 1]) ?? []);
  const unplaced = new Map(failure?.unplaced.map((u) => [u.operation, u]) ?? []);
  // Loops, not Math.min(...spread): a history of a few hundred thousand operations overflows the stack.
  let t0 = Number.POSITIVE_INFINITY;
  let tEnd = Number.NEGATIVE_INFINITY;
  for (const o of ops) {
    if (o.invoke < t0) t0 = o.invoke;
    const end = o.complete ?? o.invoke;
    if (end > tEnd) tEnd = end;
  }
  // Every operation at one instant (or times so large that a tiny span rounds away) still gets a scale.
  const span = tEnd - t0 > 0 ? (tEnd - t0) * 1.04 : 1;
  const pct = (t: number) => (((t - t0) / span) * 100).toFixed(3);
  const clients = [...new Set(ops.map((o) => o.client))].sort((a, b) => a - b);
  const lanes = clients.map((client) => {
    const bars = ops
      .map((op, index) => ({ op, index }))
      .filter(({ op }) => op.client === client)
      .map(({ op, index }) => {
        const classes = ['op'];
        const order = prefixAt.get(op);
        const u = unplaced.get(op);
        if (order !== undefined) classes.push('prefix');
        if (u) classes.push('unplaced');
        if (failure && op === failure.blocked) classes.push('blocked');
        if (op.complete === undefined) classes.push('pending');
        const end = op.complete ?? t0 + span;
        const text = describeOperation(model, op);
        const title = [text, ...(u ? [u.why] : [])].join('\n');
        return (
          `<div class="${classes.join(' ')}" data-index="${index}" title="${escape(title)}" ` +
          `style="left:${pct(op.invoke)}%;width:max(${(((end - op.invoke) / span) * 100).toFixed(3)}%,2px)">` +
          `${order === undefined ? '' : `<b>${order}</b> `}${escape(text)}</div>`
        );
      });
    return `<div class="lane"><div class="client">c${client}</div><div class="track">${bars.join('')}</div></div>`;
  });
  const verdict =
    result.verdict === 'linearizable'
      ? 'linearizable'
      : result.verdict === 'unknown'
        ? `unknown: ${result.reason}`
        : 'not linearizable';
  const head = `${result.operations} operations, ${result.partitions} partition(s), ${result.steps} search steps, ${result.durationMs.toFixed(1)} ms`;
  const details: string[] = [];
  if (failure) {
    const state = model.describeState ? model.describeState(failure.state) : JSON.stringify(failure.state);
    details.push(
      `<h2>Partition ${failure.partition + 1}: the longest linearizable prefix has ${failure.prefix.length} of its ${failure.operations.length} operations</h2>`,
      `<ol class="prefix-list">${failure.prefix.map((op) => `<li>c${op.client} ${escape(describeOperation(model, op))}</li>`).join('')}</ol>`,
      `<p>State after it: <code>${escape(state ?? '')}</code></p>`,
      '<h2>No operation can come next</h2>',
      `<table class="unplaced-list"><tr><th>client</th><th>operation</th><th>why not</th></tr>${failure.unplaced
        .map(
          (u) =>
            `<tr${u.operation === failure.blocked ? ' class="blocked"' : ''}><td>c${u.operation.client}</td><td>${escape(
              describeOperation(model, u.operation),
            )}${u.operation === failure.blocked ? ' <em>(returned first: must come next)</em>' : ''}</td><td>${escape(u.why)}${
              u.violates.length > 0 ? ` [${escape(u.violates.join(', '))}]` : ''
            }</td></tr>`,
        )
        .join('')}</table>`,
    );
  }
  const title = options.title ?? 'Linearizability check';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 6px}
.verdict{font-weight:600}.verdict.bad{color:#b00020}.verdict.good{color:#1b5e20}
.legend span{display:inline-block;padding:1px 6px;margin-right:8px;border-radius:3px}
.lanes{border-top:1px solid #ddd;margin-top:10px}
.lane{display:flex;border-bottom:1px solid #eee;min-height:24px}
.client{width:48px;flex:none;padding:3px;color:#555;font-family:monospace}
.track{position:relative;flex:1;height:24px}
.op{position:absolute;top:3px;height:17px;overflow:hidden;white-space:nowrap;font:11px/17px monospace;background:#e3ecf7;border:1px solid #90a9c9;border-radius:3px;padding:0 3px;box-sizing:border-box}
.op.pending{border-style:dashed;background:#f3f3f3}
.op.prefix{background:#d7f0d9;border-color:#5b9a62}
.op.unplaced{background:#fde0dc;border-color:#d9534f}
.op.blocked{background:#f8b4ab;border:2px solid #b00020;z-index:2}
.op:hover{overflow:visible;z-index:3;background:#fffbe6}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
tr.blocked td{background:#fde0dc}code{background:#f4f4f4;padding:1px 3px}
</style></head><body>
<h1>${escape(title)}</h1>
${options.source ? `<p>${escape(options.source)}</p>` : ''}
<p class="verdict ${result.verdict === 'linearizable' ? 'good' : 'bad'}" data-verdict="${result.verdict}">${escape(verdict)}: ${escape(head)}</p>
<p class="legend"><span class="op-key" style="background:#d7f0d9">numbered: the longest linearizable prefix, in order</span><span style="background:#fde0dc">cannot come next</span><span style="background:#f8b4ab;border:2px solid #b00020">had to come next</span><span style="border:1px dashed #888">never returned</span></p>
<div class="lanes">${lanes.join('\n')}</div>
${details.join('\n')}
</body></html>
`;
}
