import type { Runtime } from '@stateproof/core';
import { checkLinearizability } from '../../linearizability/check-linearizability.js';
import { describeResult } from '../../linearizability/describe-history.js';
import { HistoryRecorder } from '../../linearizability/history-recorder.js';
import { saveHistoryView } from '../../linearizability/save-history-view.js';
import type { Operation } from '../../linearizability/operation.js';
import type { SequentialModel } from '../../linearizability/sequential-model.js';
import { ModelMismatch } from '../../models/model-mismatch.js';
import { outcome, type Outcome } from '../../models/outcome.js';
import type { PropertyEnv } from '../../environment/property-spec.js';
import type { RequirementId } from '../../requirements/requirement-ids.js';

/** Longest one call may take before it counts as never returned (its effect is then unknown). */
const CALL_TIMEOUT_MS = 5_000;
/** Longest the checker may search one history before it answers 'unknown'. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * What the concurrency checks of one property saw over all its runs, reported through `env.note`
 * after each run: the most clients in a run, the operations checked in total, and the verdict
 * (false once any history failed, null once the checker gave up and none failed).
 */
export class ConcurrencyTally {
  private clients = 0;
  private operations = 0;
  private linearizable: boolean | null = true;

  constructor(private readonly env: Pick<PropertyEnv, 'note'>) {}

  /** Adds one checked history. */
  add(clients: number, operations: number, verdict: 'linearizable' | 'not-linearizable' | 'unknown'): void {
    this.clients = Math.max(this.clients, clients);
    this.operations += operations;
    if (verdict === 'not-linearizable') this.linearizable = false;
    else if (verdict === 'unknown' && this.linearizable === true) this.linearizable = null;
    this.env.note({ clients: this.clients, operations: this.operations, linearizable: this.linearizable });
  }
}

/**
 * Makes one call of a client and records it in the history: invoked just before `run`, completed
 * with `answer(outcome)` just after it settles. A call that times out or loses its connection
 * (STATEPROOF_BACKEND_UNAVAILABLE) stays pending: it may or may not have taken effect. Returns the
 * outcome, or undefined for a pending call. Errors that are not stateproof errors propagate.
 */
export async function recordCall<I, O, T>(
  recorder: HistoryRecorder<I, O>,
  client: number,
  input: I,
  run: () => Promise<T>,
  answer: (o: Outcome<T>) => O,
): Promise<Outcome<T> | undefined> {
  const call = recorder.invoke(client, input);
  const settled = outcome(run);
  settled.catch(() => undefined); // a call abandoned after its timeout may still fail later
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CALL_TIMEOUT_MS)));
  let o: Outcome<T> | 'timeout';
  try {
    o = await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (o === 'timeout' || (!o.ok && o.code === 'STATEPROOF_BACKEND_UNAVAILABLE')) return undefined;
  call.complete(answer(o));
  return o;
}

/** Lets `turns` macrotasks pass, so that clients interleave differently from run to run. */
export async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Checks a concurrent history against a sequential model and records the verdict. When the history
 * is not linearizable, throws a ModelMismatch naming the rules the model says were broken (or
 * `requirements` when it names none) with the longest linearizable prefix, the operations that
 * cannot follow it and the timed history, so that the shrunk counterexample reads as a bug report,
 * and the path of its HTML view (one lane per client; see saveHistoryView). An 'unknown' verdict (the search timed out) passes: nothing was proven wrong.
 */
export function expectLinearizable<S, I, O>(
  model: SequentialModel<S, I, O>,
  history: readonly Operation<I, O>[],
  options: {
    readonly clients: number;
    readonly requirements: readonly RequirementId[];
    readonly tally: ConcurrencyTally;
  },
): void {
  const result = checkLinearizability(model, history, { timeoutMs: CHECK_TIMEOUT_MS });
  options.tally.add(options.clients, history.length, result.verdict);
  if (result.verdict !== 'not-linearizable') return;
  // The suite's sequential models label what a history breaks with requirement ids.
  const violates = result.failure.violates as readonly RequirementId[];
  const named = violates.length > 0 ? violates : options.requirements;
  const view = saveHistoryView(model, result, history, {
    name: `history-${named.join('-')}`,
    title: `${options.clients} concurrent clients: not linearizable (${named.join(', ')})`,
  });
  throw new ModelMismatch(
    named,
    `${options.clients} clients ran concurrently and the history is ${describeResult(model, result)}${
      view === undefined ? '' : `\nHTML view of the history: ${view}`
    }`,
  );
}

/**
 * One runtime per client, over as many adapter instances as `instances` (default one each): the
 * fixture's own, then peers, each another process on the same backend. Client c gets instance
 * c mod `instances`, so several calls can be in flight on one handle.
 */
export async function clientRuntimes(
  fixture: { readonly rt: Runtime; peer(): Promise<Runtime> },
  clients: number,
  instances = clients,
): Promise<Runtime[]> {
  const count = Math.max(1, Math.min(clients, instances));
  const own = [fixture.rt, ...(await Promise.all(Array.from({ length: count - 1 }, () => fixture.peer())))];
  return Array.from({ length: clients }, (_, c) => own[c % count]!);
}

/**
 * Runs every client of `plan` at once, each on its runtime from {@link clientRuntimes}, records one
 * timed history of all their calls, and checks it against `model` ({@link expectLinearizable}).
 */
export async function runClientsLinearizable<Steps, S, I, O>(
  fixture: { readonly rt: Runtime; peer(): Promise<Runtime> },
  plan: readonly Steps[],
  client: (index: number, steps: Steps, runtime: Runtime, recorder: HistoryRecorder<I, O>) => Promise<void>,
  check: {
    readonly model: SequentialModel<S, I, O>;
    readonly requirements: readonly RequirementId[];
    readonly tally: ConcurrencyTally;
    readonly instances?: number;
  },
): Promise<void> {
  const runtimes = await clientRuntimes(fixture, plan.length, check.instances);
  const recorder = new HistoryRecorder<I, O>();
  await Promise.all(plan.map((steps, c) => client(c, steps, runtimes[c]!, recorder)));
  expectLinearizable(check.model, recorder.history(), {
    clients: plan.length,
    requirements: check.requirements,
    tally: check.tally,
  });
}
