import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  HISTORY_MODELS,
  InvalidHistoryError,
  checkLinearizability,
  describeOperation,
  describeResult,
  historyView,
  readHistory,
} from '@stateproof/conformance';
import { intOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import { EXIT } from '../io/exit-codes.js';
import { readInput } from '../io/read-input.js';
import type { Command } from './command.js';

/** `stateproof check-history`: the linearizability checker on a history recorded by any tool. */
export const checkHistoryCommand: Command = {
  name: 'check-history',
  summary: 'Check a recorded history (JSON lines of invoke/ok/fail/info events) for linearizability.',
  usage: 'stateproof check-history FILE --model <name> [--timeout-ms N] [--html FILE] [--json]',
  details: [
    'FILE holds one JSON event per line, the shape Jepsen-style tools write (`-` reads stdin):',
    '  {"process": 0, "type": "invoke", "f": "write", "value": 3, "key": "x", "time": 1000}',
    '  {"process": 0, "type": "ok",     "f": "write", "value": 3, "key": "x", "time": 1900}',
    'A process makes one call at a time; the event after its invoke completes it: ok (it happened, and',
    'value is the result, e.g. what a read returned), fail (it certainly did not happen; it is dropped) or',
    'info (unknown: it may have happened at any time after the invoke; a call never completed counts as',
    'info). "key" names the object a call touches (histories are checked per key); "time" is any',
    'monotonic number (without it the line order is the time order); events of process "nemesis" are',
    'ignored. docs/check-history.md describes the format and each model.',
    '',
    'Models:',
    ...HISTORY_MODELS.map((m) => `  ${m.name.padEnd(10)} ${m.summary}`),
    '',
    'Partitions (keys) are searched side by side with budgets that grow, so one hard partition cannot hide',
    'an easy violation in another: the first partition that fails answers "not linearizable". On a failure',
    'an HTML view of the failing partition (one lane per client, the longest linearizable prefix, the',
    'operations that cannot come next and why) is written to --html FILE (default FILE.html).',
    '',
    'Exit status: 0 linearizable; 1 not linearizable; 2 usage error or a malformed history (the line and',
    'what is wrong); 4 unknown (the check ran out of time; the undecided partitions are named).',
  ].join('\n'),
  options: [
    {
      name: 'model',
      kind: 'string',
      valueName: 'name',
      description: `The model (${HISTORY_MODELS.map((m) => m.name).join(', ')}; required).`,
    },
    { name: 'timeout-ms', kind: 'string', valueName: 'N', description: 'Give up (exit 4) after N ms (default 60000).' },
    {
      name: 'html',
      kind: 'string',
      valueName: 'file',
      description: 'Write the HTML view here, whatever the verdict (default: FILE.html, on a failure only).',
    },
    { name: 'json', kind: 'flag', description: 'Print the verdict as JSON on stdout.' },
  ],
  examples: [
    'stateproof check-history etcd-history.jsonl --model register',
    'stateproof check-history kv.jsonl --model kv --html kv.html --json',
  ],
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0)
      throw new UsageError(
        file === undefined ? 'give the history file' : `one history at a time, got ${args.positionals.length}`,
        'Run `stateproof check-history history.jsonl --model register`.',
      );
    const name = stringOption(args, 'model');
    const entry = HISTORY_MODELS.find((m) => m.name === name);
    if (!entry)
      throw new UsageError(
        name === undefined ? '--model is required' : `unknown model "${name}"`,
        `Choose one of ${HISTORY_MODELS.map((m) => m.name).join(', ')}: --model register.`,
      );
    const timeoutMs = intOption(args, 'timeout-ms', { min: 1 }) ?? 60_000;
    const text = await readInput(file, io.cwd);
    let read;
    try {
      read = readHistory(text, entry.reader);
    } catch (error) {
      if (!(error instanceof InvalidHistoryError)) throw error;
      io.stderr.write(`stateproof check-history: ${file}: ${error.message}\n${error.hint ?? ''}\n`);
      if (args.flags.has('json')) io.stdout.write(JSON.stringify({ error: error.toJSON() }, null, 2) + '\n');
      return EXIT.usage;
    }
    let result: ReturnType<typeof checkLinearizability>;
    let report: string;
    try {
      result = checkLinearizability(entry.model, read.operations, { timeoutMs });
      report = describeResult(entry.model, result);
    } catch (error) {
      // A field the model needs is missing or of the wrong type (a history written for another model).
      io.stderr.write(
        `stateproof check-history: ${file}: the ${entry.name} model cannot read this history: ${(error as Error).message}\n` +
          `Check that every call carries the fields the model reads (stateproof check-history --help lists them).\n`,
      );
      return EXIT.usage;
    }
    const htmlOption = stringOption(args, 'html');
    let htmlFile = htmlOption ?? (result.verdict === 'not-linearizable' && file !== '-' ? `${file}.html` : undefined);
    if (htmlFile !== undefined) {
      try {
        writeFileSync(
          resolve(io.cwd, htmlFile),
          historyView(entry.model, result, read.operations, {
            title: `${file}: ${result.verdict}`,
            source: `stateproof check-history ${file} --model ${entry.name}: ${read.events} events, ${read.failed} failed calls dropped, ${read.indeterminate} of unknown outcome`,
          }),
        );
      } catch (error) {
        // The verdict stands without its view: say why the view is missing, then report as usual.
        io.stderr.write(
          `stateproof check-history: could not write the HTML view to ${htmlFile}: ${(error as Error).message}\n`,
        );
        htmlFile = undefined;
      }
    }
    if (args.flags.has('json')) {
      const failure = result.verdict === 'not-linearizable' ? result.failure : undefined;
      io.stdout.write(
        JSON.stringify(
          {
            verdict: result.verdict,
            model: entry.name,
            events: read.events,
            operations: result.operations,
            failedDropped: read.failed,
            indeterminate: read.indeterminate,
            partitions: result.partitions,
            steps: result.steps,
            durationMs: Math.round(result.durationMs * 10) / 10,
            ...(result.verdict === 'unknown' ? { reason: result.reason, undecided: result.undecided } : {}),
            ...(failure
              ? {
                  failure: {
                    partition: failure.partition,
                    prefix: failure.prefix.map((op) => ({
                      process: read.processes[op.client],
                      operation: describeOperation(entry.model, op),
                    })),
                    unplaced: failure.unplaced.map((u) => ({
                      process: read.processes[u.operation.client],
                      operation: describeOperation(entry.model, u.operation),
                      why: u.why,
                      blocked: u.operation === failure.blocked,
                    })),
                  },
                }
              : {}),
            ...(htmlFile === undefined ? {} : { html: htmlFile }),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout.write(`${report}\n${htmlFile === undefined ? '' : `HTML view: ${htmlFile}\n`}`);
    }
    return result.verdict === 'linearizable'
      ? EXIT.ok
      : result.verdict === 'not-linearizable'
        ? EXIT.failed
        : EXIT.unknown;
  },
};
