import { isAbsolute, relative, resolve } from 'node:path';
import { writeGenerated, type GeneratedFile, type GeneratedFileStatus } from '@stateproof/docs';
import type { CliIo } from '../io/cli-io.js';
import { EXIT } from '../io/exit-codes.js';

/**
 * Writes (or with `check`, compares) the generated files below `outDir` and reports: text by
 * default, a JSON object with `--json`. In check mode a stale file is exit 1 with the command that
 * regenerates it; otherwise exit 0.
 */
export function writeDocs(
  files: readonly GeneratedFile[],
  options: { outDir: string; check: boolean; json: boolean; command: string; what: string },
  io: CliIo,
): number {
  let written: GeneratedFileStatus[];
  try {
    written = writeGenerated(files, resolve(io.cwd, options.outDir), { check: options.check });
  } catch (error) {
    // --out names a file, a page's path is a folder, or the folder is not writable.
    io.stderr.write(
      `stateproof ${options.what}: cannot write into ${options.outDir}: ${(error as Error).message}\n` +
        'Choose another --out folder, or fix its permissions.\n',
    );
    return EXIT.usage;
  }
  const statuses = written.map((s): GeneratedFileStatus => ({ ...s, path: shown(io.cwd, s.path) }));
  const stale = statuses.filter((s) => s.status === 'stale');
  if (options.json) {
    io.stdout.write(
      JSON.stringify(
        {
          what: options.what,
          out: options.outDir,
          check: options.check,
          ok: stale.length === 0,
          files: statuses,
          command: options.command,
        },
        null,
        2,
      ) + '\n',
    );
  } else if (options.check) {
    if (stale.length === 0)
      io.stdout.write(`${options.what}: ${statuses.length} files up to date in ${options.outDir}\n`);
    else
      io.stdout.write(
        [
          `${options.what}: ${stale.length} of ${statuses.length} files out of date (missing or edited):`,
          ...stale.map((s) => `  ${s.path}`),
          `Regenerate with: ${options.command}`,
          '',
        ].join('\n'),
      );
  } else {
    const written = statuses.filter((s) => s.status === 'written');
    io.stdout.write(
      `${options.what}: wrote ${written.length} files, ${statuses.length - written.length} unchanged, in ${options.outDir}\n` +
        written.map((s) => `  ${s.path}\n`).join(''),
    );
  }
  return stale.length === 0 ? EXIT.ok : EXIT.failed;
}

/** A path as the user gave it: relative to the working directory when below it, else absolute. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}
