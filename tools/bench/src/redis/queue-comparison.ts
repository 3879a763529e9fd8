import type { BenchRow } from '../benchmark.js';
import { loadPeers } from '../peers/load-peers.js';
import { load1, median, perSecond, rotations } from '../postgres/measure.js';
import { order } from '../postgres/surfaces.js';
import { Redis } from 'ioredis';
import { BullMqQueue } from './bullmq-queue.js';
import { countCommands } from './command-count.js';
import type { RedisQueueSystem } from './queue-system.js';
import { serverStats, statsBetween } from './server-stats.js';
import { StateproofQueue } from './stateproof-queue.js';

/** Settings of the queue comparison on one server. */
export interface RedisQueueComparisonSettings {
  readonly url: string;
  /** Prefix of the row labels and ratio keys (the configuration's name, and the grid point if any). */
  readonly label: string;
  /** Tasks per timed round. */
  readonly tasks: number;
  /** Tasks per enqueueMany / addBulk call. */
  readonly enqueueBatch: number;
  readonly workers: number;
  /** stateproof claim limit; BullMQ concurrency per worker. */
  readonly batch: number;
  readonly rounds: number;
  /** Tasks of the untimed warm-up round of each side. */
  readonly warmup: number;
  /** stateproof's namespace and BullMQ's key prefix (their keys are deleted after each round). */
  readonly namespace: string;
  readonly prefix: string;
  /** Whether to run the untimed diagnostic round (commands and server CPU per task). */
  readonly diagnose: boolean;
  readonly progress: (line: string) => void;
}

interface Round {
  readonly enqueueMs: number;
  readonly processMs: number;
  /** Client CPU (this process) per task while enqueueing and processing, in µs. */
  readonly cpuUs: number;
  readonly load: number;
}

/** Enqueues `n` tasks in batches, runs the workers until drained, then resets (untimed). */
async function queueRound(system: RedisQueueSystem, n: number, batch: number): Promise<Round> {
  const load = load1();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch)
    await system.enqueue(Array.from({ length: Math.min(batch, n - i) }, (_, j) => order(i + j)));
  const enqueueMs = performance.now() - t0;
  const { startedAt, endedAt } = await system.process(n);
  const c = process.cpuUsage(c0);
  await system.reset();
  return { enqueueMs, processMs: endedAt - startedAt, cpuUs: (c.user + c.system) / n, load };
}

/** What one system did per task in the untimed diagnostic round. */
interface Diagnosis {
  readonly commandsPerTask: number;
  readonly serverCpuUsPerTask: number;
  /** The commands that took most server time, with their µs per call. */
  readonly top: string;
}

/** One untimed round: enqueue, then process while counting the commands sent and the server's CPU. */
async function diagnose(system: RedisQueueSystem, url: string, n: number, batch: number): Promise<Diagnosis> {
  for (let i = 0; i < n; i += batch)
    await system.enqueue(Array.from({ length: Math.min(batch, n - i) }, (_, j) => order(i + j)));
  const peers = await loadPeers();
  const before = await serverStats(url);
  const commands = await countCommands([Redis, peers.ioredis.Redis], async () => void (await system.process(n)));
  const after = await serverStats(url);
  await system.reset();
  const d = statsBetween(before, after);
  const top = Object.entries(d.commands)
    .filter(([name]) => name !== 'info')
    .sort((a, b) => b[1].usec - a[1].usec)
    .slice(0, 3)
    .map(([name, c]) => `${name} ${(c.calls / n).toFixed(2)}/task at ${(c.usec / c.calls).toFixed(1)} µs`)
    .join(', ');
  return { commandsPerTask: commands / n, serverCpuUsPerTask: d.cpuUs / n, top };
}

/**
 * stateproof's queue against BullMQ's on one server: per round each side enqueues `tasks` in
 * batches, then its workers drain them with fenced completions; sides alternate in rotating order
 * after a warm-up; medians are reported, with the client CPU per task, and (diagnostic round) the
 * commands sent and the server CPU per task.
 */
export async function redisQueueComparison(
  o: RedisQueueComparisonSettings,
): Promise<{ rows: BenchRow[]; ratios: Record<string, number> }> {
  const settings = { url: o.url, workers: o.workers, batch: o.batch };
  const systems: RedisQueueSystem[] = [new StateproofQueue(settings, o.namespace), new BullMqQueue(settings, o.prefix)];
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  try {
    for (const s of systems) {
      await s.setup();
      await queueRound(s, o.warmup, o.enqueueBatch);
    }
    const results = new Map<RedisQueueSystem, Round[]>(systems.map((s) => [s, []]));
    for (const [r, sequence] of rotations(systems, o.rounds).entries()) {
      for (const s of sequence) {
        const round = await queueRound(s, o.tasks, o.enqueueBatch);
        results.get(s)!.push(round);
        o.progress(
          `${o.label} round ${r + 1} ${s.name}: enqueue ${Math.round(perSecond(o.tasks, round.enqueueMs))}/s, processing ${Math.round(perSecond(o.tasks, round.processMs))}/s, total ${Math.round(perSecond(o.tasks, round.enqueueMs + round.processMs))}/s, client CPU ${round.cpuUs.toFixed(0)} µs/task (load ${round.load})`,
        );
      }
    }
    const diagnoses = new Map<RedisQueueSystem, Diagnosis>();
    if (o.diagnose)
      for (const s of systems) {
        const d = await diagnose(s, o.url, Math.max(1_000, Math.round(o.tasks / 5)), o.enqueueBatch);
        diagnoses.set(s, d);
        o.progress(
          `${o.label} ${s.name} while processing: ${d.commandsPerTask.toFixed(3)} commands and ${d.serverCpuUsPerTask.toFixed(1)} µs of server CPU per task; ${d.top}`,
        );
      }
    const rates = new Map(
      systems.map((s) => {
        const rs = results.get(s)!;
        return [
          s,
          {
            enqueue: median(rs.map((r) => perSecond(o.tasks, r.enqueueMs))),
            processing: median(rs.map((r) => perSecond(o.tasks, r.processMs))),
            total: median(rs.map((r) => perSecond(o.tasks, r.enqueueMs + r.processMs))),
            cpu: median(rs.map((r) => r.cpuUs)),
            loads: rs.map((r) => r.load),
          },
        ];
      }),
    );
    for (const s of systems) {
      const x = rates.get(s)!;
      const d = diagnoses.get(s);
      const common = `median of ${o.rounds} rounds of ${o.tasks}, load ${Math.min(...x.loads)}–${Math.max(...x.loads)}`;
      rows.push(
        {
          label: `${o.label}: ${s.name} queue enqueue`,
          operations: o.tasks,
          ms: (o.tasks / x.enqueue) * 1000,
          opsPerSec: x.enqueue,
          notes: `batches of ${o.enqueueBatch}; ${common}`,
        },
        {
          label: `${o.label}: ${s.name} queue processing`,
          operations: o.tasks,
          ms: (o.tasks / x.processing) * 1000,
          opsPerSec: x.processing,
          notes:
            `${o.workers} workers, ${s.name === 'stateproof' ? 'claim limit' : 'concurrency'} ${o.batch}; ${common}` +
            (d
              ? `; ${d.commandsPerTask.toFixed(3)} commands sent and ${d.serverCpuUsPerTask.toFixed(1)} µs of server CPU per task (${d.top})`
              : ''),
        },
        {
          label: `${o.label}: ${s.name} queue total`,
          operations: o.tasks,
          ms: (o.tasks / x.total) * 1000,
          opsPerSec: x.total,
          notes: `client CPU ${x.cpu.toFixed(0)} µs per task; ${s.settings}`,
        },
      );
    }
    const [ours, theirs] = systems.map((s) => rates.get(s)!) as [
      NonNullable<ReturnType<typeof rates.get>>,
      NonNullable<ReturnType<typeof rates.get>>,
    ];
    // Same-round ratios of the totals: each round ran both sides back to back.
    const sp = results.get(systems[0]!)!;
    const bull = results.get(systems[1]!)!;
    const perRound = sp.map((r, i) => (bull[i]!.enqueueMs + bull[i]!.processMs) / (r.enqueueMs + r.processMs));
    o.progress(
      `${o.label}: same-round total ratios ${perRound.map((x) => x.toFixed(2)).join(', ')} (median ${median(perRound).toFixed(3)})`,
    );
    ratios[`${o.label}: stateproof/BullMQ queue total`] = ours.total / theirs.total;
    ratios[`${o.label}: stateproof/BullMQ queue processing`] = ours.processing / theirs.processing;
    ratios[`${o.label}: stateproof/BullMQ queue enqueue`] = ours.enqueue / theirs.enqueue;
    return { rows, ratios };
  } finally {
    for (const s of systems)
      await s.close().catch((e: unknown) => o.progress(`closing ${s.name}: ${(e as Error).message}`));
  }
}
