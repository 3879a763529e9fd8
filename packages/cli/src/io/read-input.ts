import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../args/usage-error.js';

/** Reads a file named on the command line (`-` is stdin); an unreadable file is a UsageError saying why. */
export async function readInput(file: string, cwd: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  const path = resolve(cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${why}`, 'Check the path; it is resolved from the current directory.');
  }
}
