import { openSoakBackend, SOAK_BACKENDS, type SoakBackendName } from './soak-backends.js';
import type { TenthFigures } from './soak-load.js';
import { pruneWorks, runSoak, type SoakRun } from './soak-run.js';

/** What a soak child sends its parent (one backend per child, so each RSS is that backend's alone). */
export type SoakMessage =
  | { readonly type: 'progress'; readonly line: string }
  | { readonly type: 'result'; readonly run: SoakRun }
  | { readonly type: 'skipped'; readonly backend: string; readonly reason: string }
  | { readonly type: 'error'; readonly backend: string; readonly message: string };

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** The progress line of a finished tenth, with an estimate of the rest from the pace so far. */
export function tenthLine(backend: string, total: number, t: TenthFigures): string {
  const rest = (t.elapsedMs / t.tasks) * (total - t.tasks);
  return (
    `${backend} tenth ${t.tenth}/10: ${t.tasks.toLocaleString('en-US')} tasks, ${Math.round(t.rate).toLocaleString('en-US')}/s, ` +
    `size ${mb(t.size.total)}, RSS ${mb(t.rss)} (heap ${mb(t.heapUsed)}, ${t.gcCount} GCs ${Math.round(t.gcMs)} ms), ` +
    `pruned ${t.pruned.toLocaleString('en-US')} in ${t.pruneCalls} calls (${Math.round(t.pruneMs)} ms), reap ${t.reapCalls} calls (${Math.round(t.reapMs)} ms), elapsed ${(t.elapsedMs / 1000).toFixed(0)} s, rest ~${(rest / 1000).toFixed(0)} s`
  );
}

async function main(): Promise<void> {
  const [name, count] = process.argv.slice(2);
  const send = (m: SoakMessage) =>
    new Promise<void>((resolve, reject) => process.send!(m, undefined, {}, (e) => (e ? reject(e) : resolve())));
  if (!SOAK_BACKENDS.includes(name as SoakBackendName)) throw new Error(`soak child: unknown backend ${name}`);
  const total = Number(count);
  const backend = await openSoakBackend(name as SoakBackendName);
  if (typeof backend === 'string') return await send({ type: 'skipped', backend: name!, reason: backend });
  try {
    await send({ type: 'progress', line: `${name}: ${backend.facts}` });
    const works = await pruneWorks(backend);
    if (!works && name === 'redis')
      return await send({
        type: 'skipped',
        backend: name,
        reason: 'its prune has not landed (the probe: a task finished on a 1 ms retention was not pruned)',
      });
    if (!works)
      await send({ type: 'progress', line: `${name}: WARNING its prune removed nothing in the probe (placeholder)` });
    const run = await runSoak(
      backend,
      total,
      works,
      (t) => void send({ type: 'progress', line: tenthLine(name!, total, t) }),
    );
    await send({ type: 'result', run });
  } finally {
    await backend.close();
  }
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    process.exitCode = 1;
    const m: SoakMessage = {
      type: 'error',
      backend: process.argv[2] ?? '?',
      message: (error as Error).stack ?? String(error),
    };
    process.send?.(m, undefined, {}, () => process.disconnect?.());
  },
);
