// Writes the histories of `npm run bench -- linearizability` (same generators, same seeds) as JSON
// lines for the Porcupine driver beside this file: {c: client, i: input, o: output, call, ret}, times
// in integer nanoseconds-like units (the simulated times x 1e6), a call that never returned at 9e15.
//   npm run build && node tools/bench/porcupine/export-histories.mjs OUT_DIR [SCALE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corrupt, kvHistory, raceHistory, registerHistory } from '../dist/linearizability-bench.js';

const [out = 'porcupine-histories', scaleArg = '1'] = process.argv.slice(2);
const n = Math.round(10_000 * Number(scaleArg));
mkdirSync(out, { recursive: true });
const cases = {
  'register-100keys-16c': ['register', registerHistory({ operations: n, clients: 16, keys: 100, pending: 0 }, 2)],
  'register-hot-8c': ['register', registerHistory({ operations: n, clients: 8, keys: 1, pending: 0 }, 4)],
  'register-hot-8c-bad': ['register', corrupt(registerHistory({ operations: n, clients: 8, keys: 1, pending: 0 }, 4))],
  'kv-1000keys-50c': ['kv', kvHistory({ operations: n, clients: 50, keys: 1000, pending: 0 }, 7)],
  'kv-hot-4c': ['kv', kvHistory({ operations: n, clients: 4, keys: 1, pending: 0 }, 8)],
  'kv-10keys-20c': ['kv', kvHistory({ operations: n, clients: 20, keys: 10, pending: 0 }, 9)],
  'kv-race-50c': ['kv', raceHistory(n, 10)],
};
for (const [name, [model, history]] of Object.entries(cases)) {
  const lines = history.map((o) =>
    JSON.stringify({
      c: o.client,
      i: o.input,
      o: o.output ?? null,
      call: Math.round(o.invoke * 1e6),
      ret: o.complete === undefined ? 9e15 : Math.round(o.complete * 1e6),
    }),
  );
  writeFileSync(join(out, `${name}.jsonl`), lines.join('\n') + '\n');
  console.log(`${join(out, `${name}.jsonl`)} ${model} ${history.length}`);
}
