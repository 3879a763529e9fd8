// Writes spec/schema/*.json from the TypeBox sources, or with --check fails when a committed file differs.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_SCHEMAS, schemaJsonText } from '../schemas/all-schemas.js';

const dir = fileURLToPath(new URL('../../schema/', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(DOCUMENT_SCHEMAS)) {
  const text = schemaJsonText(schema);
  const path = dir + file;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}
if (stale.length > 0) {
  console.error(`spec/schema is out of date: ${stale.join(', ')}\nRun: npm run -w @stateproof/spec generate`);
  process.exit(1);
}
