import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory for database files, and a way to remove it (restoring permissions first). */
export function tempDir(): { dir: string; file: (name?: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stateproof-sqlite-test-'));
  let n = 0;
  return {
    dir,
    file: (name) => join(dir, name ?? `db-${++n}.sqlite`),
    remove: () => {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
