// Writes the two files generated from the contract and the suite, or with --check fails when a
// committed one differs from what the build would generate:
//   src/requirements/requirement-ids.ts  the requirement ids of spec/contract as a type
//   requirement-index.json               requirement -> properties -> mutants
// Reads the build (dist/), so run `npx tsc -b` first:
//   npx tsc -b && npm run -w @stateproof/conformance generate        (or generate:check)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listRequirements } from '@stateproof/spec';
import {
  ALL_MUTANTS,
  ALL_PROPERTIES,
  GENERATE_COMMAND,
  buildRequirementIndex,
  requirementIdsModule,
  requirementIndexJson,
} from '@stateproof/conformance';
// The mutants of the engine adapters live with the CLI for now; point these at their new home when they move.
import { POSTGRES_MUTANTS } from '../../packages/cli/dist/mutants/postgres-mutants.js';
import { SQLITE_MUTANTS } from '../../packages/cli/dist/mutants/sqlite-mutants.js';

const check = process.argv.includes('--check');
const root = new URL('../', import.meta.url);
const index = buildRequirementIndex({
  requirements: listRequirements(),
  properties: ALL_PROPERTIES,
  mutants: [...ALL_MUTANTS, ...SQLITE_MUTANTS, ...POSTGRES_MUTANTS],
  generatedBy: GENERATE_COMMAND,
});
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
