import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** A child process running child-main.ts, with its JSON-line reports. */
export interface Child {
  readonly process: ChildProcess;
  /** Every report so far. */
  readonly events: Array<Record<string, unknown> & { event: string }>;
  /** Resolves with the first report named `event` (waits up to `ms`). */
  next(event: string, ms?: number): Promise<Record<string, unknown>>;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  /** Resolves with the exit code (or signal) once the child is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  stderr(): string;
}

/** Starts child-main.ts with `args` in a new Node process (optionally as another user). */
export function spawnChild(args: Record<string, unknown>, options: { uid?: number; gid?: number } = {}): Child {
  const p = spawn(
    process.execPath,
    [
      '--conditions=@stateproof/source',
      '--import',
      here('./ts-hooks.mjs'),
      here('./child-main.ts'),
      JSON.stringify(args),
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    },
  );
  const events: Child['events'] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let err = '';
  p.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as Child['events'][number]);
    }
    for (const w of waiters.splice(0)) w();
  });
  p.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    p.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  void exited.then(() => {
    for (const w of waiters.splice(0)) w();
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    process: p,
    events,
    exited,
    stderr: () => err,
    send: (line) => p.stdin?.write(`${line}\n`),
    next: async (event, ms = 20_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find((e) => e.event === event);
        if (found) return found;
        const crashed = events.find((e) => e.event === 'crashed');
        if (crashed || done || Date.now() > deadline) {
          throw new Error(
            `child ${String(args['role'])} did not report ${event}: ${JSON.stringify(events.slice(-3))} ${err.slice(-2000)}`,
          );
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(10, deadline - Date.now()));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  };
}

/**
 * Whether another user can reach `path`: every folder above it lets others through (o+x). A
 * checkout in a private folder (`mktemp -d` makes one 0700) keeps a child run as `nobody` from
 * loading the test's own sources.
 */
export function reachableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/** Makes a temp directory traversable by another user (for the read-only test run as `nobody`). */
export function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
}
