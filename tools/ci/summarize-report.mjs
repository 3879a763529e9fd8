// Prints "N passed, N failed[, N skipped]" from a vitest JSON report; exits 1 when anything failed.
// A test file that failed to load has no failed test of its own, so it is counted as one failure.
// Each `--failed-step NAME` is a CI step outside vitest that failed (the README's main job): one failure each.
//   node tools/ci/summarize-report.mjs REPORT.json [--failed-step NAME ...]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const failedSteps = args.flatMap((a, i) => (args[i - 1] === '--failed-step' ? [a] : []));
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--failed-step') ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`no test report at ${file} (${error.message})`);
  console.log(`0 passed, ${1 + failedSteps.length} failed`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
let failed = (report.numFailedTests ?? 0) + failedSteps.length;
for (const step of failedSteps) console.log(`failed step: ${step}`);
for (const suite of report.testResults ?? []) {
  const failedInside = (suite.assertionResults ?? []).some((a) => a.status === 'failed');
  if (suite.status === 'failed' && !failedInside) {
    failed += 1;
    console.log(`failed to run: ${suite.name}${suite.message ? `: ${suite.message.split('\n')[0]}` : ''}`);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
