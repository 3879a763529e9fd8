import type { BenchResult } from './benchmark.js';
import { BENCHMARKS } from './benchmarks.js';

// npm run bench -- [name ...] [--json] [--scale N] [--list]
const args = process.argv.slice(2);
const json = args.includes('--json');
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
if (!Number.isFinite(scale) || scale <= 0) {
  console.error('bench: --scale needs a positive number');
  process.exit(2);
}
const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--scale');
if (args.includes('--list') || args.includes('--help')) {
  console.log('Usage: npm run bench -- [name ...] [--json] [--scale N]\n\nBenchmarks:');
  for (const b of BENCHMARKS) console.log(`  ${b.name.padEnd(24)} ${b.description}`);
  process.exit(0);
}
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; run \`npm run bench -- --list\``);
  process.exit(2);
}
const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));
const results: BenchResult[] = [];
let missed = 0;
for (const b of selected) {
  console.error(`bench: ${b.name}: ${b.description}`);
  const r = await b.run({ scale, progress: (line) => console.error(`  ${b.name}: ${line}`) });
  results.push(r);
  for (const [k, target] of Object.entries(r.targets ?? {})) if ((r.ratios[k] ?? 0) < target) missed++;
  if (!json) {
    console.log(`\n## ${r.name}${r.skipped ? ` (skipped: ${r.skipped})` : ''}`);
    for (const row of r.rows)
      console.log(
        `  ${row.label.padEnd(44)} ${String(row.operations).padStart(8)} ops ${row.ms.toFixed(0).padStart(8)} ms ${row.opsPerSec.toFixed(0).padStart(10)} ops/s${row.notes ? `  ${row.notes}` : ''}`,
      );
    for (const [k, v] of Object.entries(r.ratios)) {
      const target = r.targets?.[k];
      console.log(
        `  ratio ${k}: ${v.toFixed(3)}${target === undefined ? '' : ` (target >= ${target}: ${v >= target ? 'met' : 'MISSED'})`}`,
      );
    }
  }
}
if (json)
  console.log(
    JSON.stringify(
      { node: process.version, platform: `${process.platform}-${process.arch}`, at: new Date().toISOString(), results },
      null,
      2,
    ),
  );
// Benchmarks report; they do not fail a build. A missed target is visible in the output and in docs/benchmarks.md.
if (missed > 0) console.error(`bench: ${missed} target(s) missed`);
