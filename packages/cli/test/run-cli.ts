import { main, type CliIo } from 'stateproof';

/** What one command line printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `stateproof <argv>` in `cwd` with captured streams and the given environment. */
export async function runCli(cwd: string, argv: readonly string[], env: CliIo['env'] = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd,
    env,
  };
  const code = await main(argv, io);
  return { code, out, err };
}
