#!/usr/bin/env node
// The `stateproof` command. This file is committed as plain JavaScript, not built, so that npm links
// it when the package is installed: npm links a bin only when its file exists, and dist/ does not
// exist in a fresh clone until `npm run build`. From the registry, dist/ ships in the package.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    `stateproof: the command line is not built (${fileURLToPath(entry)} is missing).\n` +
      'In a clone of the repository, run `npm run build` first; from the registry, reinstall the `stateproof` package.\n',
  );
  process.exit(2);
}
await import(entry.href);
