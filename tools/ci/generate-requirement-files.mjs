// Writes the two files generated from the contract and the suite, or with --check fails when a
// committed one differs from what the build would generate:
//   src/requirements/requirement-ids.ts  the requirement ids of spec/contract as a type
//   requirement-index.json               requirement -> properties -> mutants
// The index names the mutants of every adapter kit, so it is written here, above the suite, from the
// kits the CLI knows. Reads the build (dist/), so run `npx tsc -b` first:
//   npx tsc -b && npm run generate        (or npm run generate:check)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listRequirements } from '@stateproof/spec';
import { GENERATE_COMMAND, requirementIdsModule, requirementIndexJson } from '@stateproof/conformance';
import { suiteRequirementIndex } from 'stateproof';

const check = process.argv.includes('--check');
const root = new URL('../../conformance/', import.meta.url);
const index = suiteRequirementIndex();
const files = {
  'src/requirements/requirement-ids.ts': requirementIdsModule(listRequirements()),
  'requirement-index.json': requirementIndexJson(index),
};

const stale = [];
for (const [file, text] of Object.entries(files)) {
  const path = fileURLToPath(new URL(file, root));
  if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}
if (stale.length > 0) {
  console.error(`conformance: out of date: ${stale.join(', ')}\nRun: npx tsc -b && ${GENERATE_COMMAND}`);
  process.exit(1);
}
