import { relative, sep } from 'node:path';

/** `file` relative to `base` with forward slashes, as diagnostics, SARIF and manifests write paths. */
export function displayPath(file: string, base: string): string {
  const rel = relative(base, file);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}
