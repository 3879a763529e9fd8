import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GeneratedFile } from './generated-file.js';

/** What writing (or checking) one generated file found. */
export interface GeneratedFileStatus {
  /** Path of the file: the output folder joined with the file's own path. */
  readonly path: string;
  /** `written`: it changed and was written; `unchanged`: already as generated; `stale`: differs and `check` was set, so left alone. */
  readonly status: 'written' | 'unchanged' | 'stale';
}

/**
 * Writes each file below `outDir`, leaving a file whose bytes are already right untouched (so a
 * regeneration changes no modification time). With `check`, writes nothing and reports every file
 * that is missing or differs as `stale`.
 */
export function writeGenerated(
  files: readonly GeneratedFile[],
  outDir: string,
  options: { readonly check?: boolean } = {},
): GeneratedFileStatus[] {
  return files.map((file) => {
    const path = join(outDir, file.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === file.text) return { path, status: 'unchanged' };
    if (options.check) return { path, status: 'stale' };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    return { path, status: 'written' };
  });
}
