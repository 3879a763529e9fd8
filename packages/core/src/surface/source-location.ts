import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '@stateproof/spec';

// Frames of stateproof's own definition code, skipped to find the caller.
const INTERNAL = /[\\/](packages[\\/]core|@stateproof[\\/]core)[\\/](src|dist)[\\/]/;
const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/**
 * Where the caller of a definition function is, from the stack: the first frame outside
 * @stateproof/core, relative to the working directory. Best effort: undefined when unknown.
 */
export function callerLocation(): SourceLocation | undefined {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const line of stack) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    let file = m[1] as string;
    if (file.startsWith('node:') || INTERNAL.test(file)) continue;
    try {
      if (file.startsWith('file://')) file = fileURLToPath(file);
    } catch {
      continue;
    }
    const rel = relative(process.cwd(), file).split(sep).join('/');
    return { file: rel || file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
