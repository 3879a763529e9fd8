import type { CrashProgress, CrashReport } from '@stateproof/conformance';

/** Seconds as `12.3 s`, or minutes and seconds past a minute (`4 min 05 s`). */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Prints the crash harness's progress events on a stream, one line each: kills done of the total,
 * acknowledged operations, elapsed time and the rest estimated from the kill rate; during a final
 * drain the tasks left and the rate; each check with its duration; at the end the harness's peak
 * resident memory. `now` is the clock (for tests).
 */
export function crashProgress(
  stream: { write(text: string): unknown },
  now: () => number = () => performance.now(),
): (e: CrashProgress) => void {
  let started = now();
  return (e) => {
    if (e.type === 'start') {
      started = now();
      stream.write(
        `stateproof: crash harness on ${e.kinds.join(', ')} (${e.cls}): ${e.workers} workers, ${e.kills} kills, seed ${e.seed}\n`,
      );
    } else if (e.type === 'kill') {
      const elapsed = now() - started;
      const rest = (elapsed / e.index) * (e.total - e.index);
      stream.write(
        `[${e.index}/${e.total}] killed ${e.worker}${e.midBatch ? ' in a batch' : ''}; ${e.acknowledged} operations acknowledged; ${duration(elapsed)} elapsed, about ${duration(rest)} of kills left\n`,
      );
    } else if (e.type === 'backend-kill')
      stream.write(`[${e.index}] killed the backend server and restarted it (down ${Math.round(e.downMs)} ms)\n`);
    else if (e.type === 'drain')
      stream.write(
        `drain ${e.kind}: ${e.remaining} tasks left (${e.running} running), ${e.finished} completed at ${Math.round(e.ratePerSec)}/s, ${duration(e.elapsedMs)}\n`,
      );
    else if (e.type === 'check')
      stream.write(
        `check ${e.kind}: ${e.violations.length === 0 ? 'ok' : `${e.violations.length} violations`} (${duration(e.durationMs)})\n`,
      );
    else
      stream.write(
        `stateproof: ${e.verdict} in ${duration(e.durationMs)}, peak memory of the harness ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
      );
  };
}

/**
 * The summary of a crash run as a table, one row per kind: its scenario, worker kills, backend
 * kills, acknowledged operations, the check (its status and duration) and how many violations it found
 * (all of them, though a result lists at most the first 50).
 */
export function crashSummary(report: Pick<CrashReport, 'results' | 'backendKills'>): string {
  const head = ['kind', 'scenario', 'kills', 'backend kills', 'acknowledged', 'check', 'violations'];
  const rows = report.results.map((r) => [
    r.kinds.join(','),
    r.scenario,
    String(r.kills),
    String(r.backendKills ?? report.backendKills ?? 0),
    String(r.acknowledged),
    `${r.status} ${duration(r.durationMs ?? 0)}`,
    String(r.violationCount ?? r.violations.length),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const numeric = new Set([2, 3, 4, 6]);
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ')}`.trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * A violation as printed: its first line, then up to `lines` more (a stuck-task report is several),
 * indented; the stack frames of an error are left out.
 */
export function violationText(v: string, lines = 30): string {
  const all = v.split('\n').filter((l) => !/^\s+at /.test(l));
  const shown = all.slice(0, lines + 1).map((l, i) => `${i === 0 ? '         ' : '           '}${l}`);
  if (all.length > lines + 1) shown.push(`           … ${all.length - lines - 1} more lines`);
  return shown.join('\n') + '\n';
}
