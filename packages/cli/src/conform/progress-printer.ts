import type { ProgressEvent } from '@stateproof/conformance';

/** Prints the suite's progress events on a stream, one line per property, so long runs show where they are. */
export function progressPrinter(stream: { write(text: string): unknown }): (event: ProgressEvent) => void {
  let width = 1;
  return (event) => {
    switch (event.type) {
      case 'start':
        width = String(event.properties).length;
        stream.write(
          `stateproof: checking ${event.adapter}: ${event.properties} property runs, seed ${event.seed}, runs ${event.runs}\n`,
        );
        break;
      case 'property-done': {
        const o = event.outcome;
        const at = `[${String(event.index + 1).padStart(width)}/${event.total}]`;
        const tail =
          o.status === 'pass'
            ? `${Math.round(o.durationMs)} ms, ${o.runs} runs`
            : o.status === 'skip'
              ? (o.reason ?? '')
              : firstLine(o.reason ?? 'failed');
        stream.write(`${at} ${o.status.padEnd(4)} ${o.name} [${o.cls}]  ${tail}\n`);
        break;
      }
      case 'done':
        stream.write(`stateproof: ${event.verdict} in ${(event.durationMs / 1000).toFixed(1)} s\n`);
        break;
      default:
        break;
    }
  };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
