import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinearizabilityResult } from './check-linearizability.js';
import { describeResult } from './describe-history.js';
import { historyView } from './history-view.js';
import type { Operation } from './operation.js';
import type { SequentialModel } from './sequential-model.js';
import { stringHash } from './state-identity.js';

/**
 * The folder failing checks write their HTML views to: `$STATEPROOF_VIEW_DIR`, else
 * `stateproof-views` in the system's temporary folder.
 */
export function historyViewDir(): string {
  return process.env['STATEPROOF_VIEW_DIR'] ?? join(tmpdir(), 'stateproof-views');
}

/**
 * Writes the HTML view of a checked history ({@link historyView}) to `dir` (default
 * {@link historyViewDir}) as `<name>-<hash of the verdict>.html`, so a shrunk counterexample seen
 * twice keeps one file, and returns the path; undefined when it cannot be written (a report must
 * never fail a check that already has its verdict).
 */
export function saveHistoryView<S, I, O>(
  model: SequentialModel<S, I, O>,
  result: LinearizabilityResult<S, I, O>,
  history: readonly Operation<I, O>[],
  options: { readonly name: string; readonly title?: string; readonly dir?: string },
): string | undefined {
  try {
    const dir = options.dir ?? historyViewDir();
    mkdirSync(dir, { recursive: true });
    const safe = options.name.replace(/[^A-Za-z0-9._-]+/g, '-');
    const hash = (stringHash(describeResult(model, result).replace(/[\d.]+ ms/g, '')) >>> 0).toString(16);
    const path = join(dir, `${safe}-${hash}.html`);
    writeFileSync(path, historyView(model, result, history, { title: options.title ?? options.name }));
    return path;
  } catch {
    return undefined;
  }
}
