// The conformance target of the JSON-file adapter: what `stateproof conform --adapter` loads.
//   stateproof conform --adapter ./examples/json-file-adapter/target.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonFileAdapter } from './json-file-adapter.mjs';

/**
 * A target over `dir`: adapters created for one namespace share its file, as processes on one host
 * would. `spawn` tells the crash harness how a child process builds the same target.
 * @returns {import('@stateproof/conformance').ConformanceTarget}
 */
export function jsonFileTarget({ dir }) {
  return {
    name: 'json-file',
    create: ({ namespace, clock }) => jsonFileAdapter({ dir, namespace, clock }),
    dispose: (namespace) => rmSync(join(dir, `${encodeURIComponent(namespace)}.json`), { force: true }),
    describeBackend: async () => ({ name: 'json-file', settings: { dir, fsync: true } }),
    spawn: { module: import.meta.url, export: 'jsonFileTarget', args: { dir } },
  };
}

// The target `stateproof conform` takes: one temporary directory, removed when the process exits.
const dir = mkdtempSync(join(tmpdir(), 'stateproof-json-file-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
export const target = jsonFileTarget({ dir });
