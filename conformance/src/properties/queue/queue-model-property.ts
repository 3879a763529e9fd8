import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { queue, type QueueHandle, type QueueSurface } from '@stateproof/core';
import { outcome } from '../../models/outcome.js';
import { QueueModel } from '../../models/queue-model.js';
import type { QueueSettings } from '../../models/queue-settings.js';
import type { PropertyEnv, PropertySpec } from '../../environment/property-spec.js';
import type { TimeControl } from '../../environment/time-control.js';
import { jsonArb } from '../arbitraries.js';
import { modelCommands } from '../common/model-commands.js';

interface Real {
  readonly clients: readonly QueueHandle<unknown, unknown>[];
  readonly time: TimeControl;
  readonly features: Record<string, boolean | undefined>;
}
type Cmd = fc.AsyncCommand<QueueModel, Real>;
const client = fc.integer({ min: 0, max: 1 });
const pick = fc.nat(50);

function taskId(model: QueueModel, n: number, preferRunning = false): string {
  const running = preferRunning && n % 4 !== 0 ? model.runningIds() : [];
  const ids = running.length > 0 ? running : model.ids();
  return ids.length === 0 || n === 50 ? 'missing-task' : (ids[n % ids.length] as string);
}
const on = (real: Real, c: number) => real.clients[c % real.clients.length] as QueueHandle<unknown, unknown>;

interface Item {
  queue: string;
  payload: unknown;
  priority: number;
  delayMs: number | undefined;
  maxAttempts: number | undefined;
  key: string | undefined;
}

class Enqueue implements Cmd {
  constructor(
    readonly client: number,
    readonly items: readonly Item[],
  ) {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    const h = on(real, this.client);
    const now = real.time.now();
    const items = (real.features['batch'] ? this.items : this.items.slice(0, 1)).map((i) => ({
      queue: i.queue,
      payload: i.payload,
      ...(real.features['priority'] && i.priority !== 0 ? { priority: i.priority } : {}),
      ...(real.features['delay'] && i.delayMs !== undefined ? { delayMs: i.delayMs } : {}),
      ...(i.maxAttempts === undefined ? {} : { maxAttempts: i.maxAttempts }),
      ...(real.features['idempotency'] && i.key !== undefined ? { idempotencyKey: i.key } : {}),
    }));
    const batch = items.length > 1;
    const got = await outcome(async () => {
      if (batch) return h.enqueueMany(items);
      const { payload, ...options } = items[0]!;
      return [await h.enqueue(payload, options)];
    });
    model.checkEnqueue(
      items.map(({ delayMs, ...rest }) => ({ ...rest, ...(delayMs === undefined ? {} : { runAt: now + delayMs }) })),
      got,
      batch,
    );
  }
  toString = () =>
    `client${this.client}.enqueue(${this.items.map((i) => `${i.queue}${i.priority ? ` p${i.priority}` : ''}${i.delayMs ? ` +${i.delayMs}ms` : ''}${i.maxAttempts ? ` max${i.maxAttempts}` : ''}${i.key ? ` key ${i.key}` : ''}`).join(', ')})`;
}

class Claim implements Cmd {
  constructor(
    readonly client: number,
    readonly worker: string,
    readonly queues: readonly string[],
    readonly limit: number,
    readonly leaseMs: number,
  ) {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    model.checkClaim(
      this.worker,
      this.queues,
      this.limit,
      this.leaseMs,
      await outcome(() =>
        on(real, this.client).claim({
          worker: this.worker,
          queues: this.queues,
          limit: this.limit,
          leaseMs: this.leaseMs,
        }),
      ),
    );
  }
  toString = () =>
    `client${this.client}.claim(${this.worker}, ${JSON.stringify(this.queues)}, limit ${this.limit}, ${this.leaseMs}ms)`;
}

class Attempt implements Cmd {
  constructor(
    readonly client: number,
    readonly op: 'heartbeat' | 'complete' | 'fail' | 'fail-final' | 'acknowledge',
    readonly task: number,
    readonly token: 'current' | 'old',
    readonly leaseMs: number,
    readonly value: unknown,
  ) {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    const id = taskId(model, this.task, true);
    const token = model.tokenFor(id, this.token);
    const h = on(real, this.client);
    const ref = { id, token };
    switch (this.op) {
      case 'heartbeat':
        return model.checkHeartbeat(
          id,
          token,
          this.leaseMs,
          await outcome(() => h.heartbeat(ref, { leaseMs: this.leaseMs })),
        );
      case 'complete':
        return model.checkComplete(id, token, this.value, await outcome(() => h.complete(ref, this.value)));
      case 'fail':
      case 'fail-final': {
        const retry = this.op === 'fail';
        const error = `boom ${JSON.stringify(this.value)}`.slice(0, 40);
        return model.checkFail(id, token, error, retry, await outcome(() => h.fail(ref, error, { retry })));
      }
      case 'acknowledge':
        if (!real.features['cancel']) return;
        return model.checkAcknowledge(id, token, await outcome(() => h.acknowledgeCancel(ref)));
    }
  }
  toString = () =>
    `client${this.client}.${this.op}(task#${this.task}, ${this.token} token${this.op === 'heartbeat' ? `, ${this.leaseMs}ms` : ''})`;
}

class Cancel implements Cmd {
  constructor(
    readonly client: number,
    readonly task: number,
  ) {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    if (!real.features['cancel']) return;
    const id = taskId(model, this.task, true);
    model.checkCancel(id, await outcome(() => on(real, this.client).cancel(id)));
  }
  toString = () => `client${this.client}.cancel(task#${this.task})`;
}

class Reap implements Cmd {
  constructor(readonly client: number) {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    const touched = model.reapable();
    const h = on(real, this.client);
    const got = await outcome(() => h.reap());
    const due = new Map<string, number>();
    for (const id of touched) {
      const t = await h.get(id);
      if (t?.state === 'queued') due.set(id, t.runAt);
    }
    model.checkReap(got, (id) => due.get(id));
  }
  toString = () => `client${this.client}.reap()`;
}

class Observe implements Cmd {
  constructor(readonly task: number | 'counters') {}
  check = () => true;
  async run(model: QueueModel, real: Real): Promise<void> {
    const h = on(real, 0);
    if (this.task === 'counters')
      return model.checkCounters(await outcome(() => h.counters() as unknown as Promise<Record<string, number>>));
    const id = taskId(model, this.task);
    model.checkGet(id, await outcome(() => h.get(id) as unknown as Promise<Record<string, unknown> | null>));
  }
  toString = () => (this.task === 'counters' ? 'counters()' : `get(task#${this.task})`);
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: QueueModel, real: Real): Promise<void> {
    await real.time.advance(this.ms);
  }
  toString = () => `advance(${this.ms}ms)`;
}

const itemArb: fc.Arbitrary<Item> = fc.record({
  queue: fc.constantFrom('q1', 'q2', "q'%"),
  payload: jsonArb,
  priority: fc.constantFrom(0, 0, 1, 5, -2),
  delayMs: fc.option(fc.constantFrom(5, 20), { nil: undefined, freq: 4 }),
  maxAttempts: fc.option(fc.constantFrom(1, 2), { nil: undefined, freq: 4 }),
  key: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined, freq: 2 }),
});

function commands(env: PropertyEnv) {
  const lease = fc.constantFrom(10, 30);
  const enqueue = fc
    .tuple(client, fc.array(itemArb, { minLength: 1, maxLength: 3 }))
    .map(([c, items]) => new Enqueue(c, items));
  const claim = fc
    .tuple(
      client,
      fc.constantFrom('w-a', 'w-b'),
      fc.constantFrom<string[]>([], [], ['q1'], ['q2', "q'%"]),
      fc.integer({ min: 1, max: 3 }),
      lease,
    )
    .map(([c, w, q, l, ms]) => new Claim(c, w, q, l, ms));
  const attempt = fc
    .tuple(
      client,
      fc.constantFrom<Attempt['op']>('heartbeat', 'heartbeat', 'complete', 'fail', 'fail', 'fail-final', 'acknowledge'),
      pick,
      fc.constantFrom<'current' | 'old'>('current', 'current', 'current', 'old'),
      lease,
      jsonArb,
    )
    .map(([c, op, t, tk, l, v]) => new Attempt(c, op, t, tk, l, v));
  // The array is a uniform choice: repeating an arbitrary weights it toward realistic worker loops.
  const list: Array<fc.Arbitrary<Cmd>> = [
    enqueue,
    enqueue,
    claim,
    claim,
    attempt,
    attempt,
    attempt,
    fc.tuple(client, pick).map(([c, t]) => new Cancel(c, t)),
    client.map((c) => new Reap(c)),
    fc.oneof(pick, fc.constant<'counters'>('counters')).map((t) => new Observe(t)),
    fc.constantFrom(5, 10, 25, 50).map((ms) => new Advance(ms)),
  ];
  return modelCommands(list, env, 80);
}

/**
 * The concurrency limits of a run: both, the global one alone, the per-queue one alone. An adapter
 * may claim each combination by a different statement (Postgres does), so each gets runs.
 */
const limitsArb = fc.constantFrom<QueueSettings['concurrency']>(
  { global: 4, perQueue: 2 },
  { global: 3 },
  { perQueue: 2 },
);

function settingsFor(env: PropertyEnv, limits: QueueSettings['concurrency']): QueueSettings {
  const f = (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>;
  return {
    // The cap bites on the second retry (10 then min(25, 30)), so an uncapped backoff shows.
    retry: { maxAttempts: 4, baseDelayMs: 10, factor: 3, maxDelayMs: 25, jitter: 0.5 },
    concurrency: f['concurrency'] ? limits : {},
    ...(f['maxRuntime'] ? { maxRuntimeMs: 60 } : {}),
    attemptHistory: 3,
  };
}

/**
 * Enqueue (single, batch, delayed, prioritised, deduplicated), claims from two clients and two
 * workers, heartbeats, completions, failures, cancels and reaps, with current and stale tokens and
 * time moving, all checked against the queue model.
 */
export const queueModelProperty: PropertySpec = {
  name: 'queue/model',
  kind: 'queue',
  requirements: [
    'QUE-001',
    'QUE-002',
    'QUE-003',
    'QUE-004',
    'QUE-005',
    'QUE-006',
    'QUE-007',
    'QUE-008',
    'QUE-009',
    'QUE-010',
    'QUE-011',
    'QUE-012',
    'QUE-013',
    'QUE-014',
    'QUE-015',
    'QUE-016',
    'QUE-017',
    'QUE-018',
    'QUE-019',
    'QUE-020',
    'QUE-021',
    'QUE-022',
    'QUE-023',
    'QUE-024',
    'QUE-025',
    'QUE-026',
    'QUE-027',
    'QUE-028',
  ],
  exactTime: true,
  weight: 3,
  property: (env) =>
    fc.asyncProperty(commands(env), limitsArb, async (cmds, limits) => {
      const settings = settingsFor(env, limits);
      const fixture = await env.fixtures.open((registry) => [
        queue('conformance.queue', {
          durability: env.cls,
          payload: Type.Unknown(),
          result: Type.Unknown(),
          retry: settings.retry,
          ...(Object.keys(settings.concurrency).length ? { concurrency: settings.concurrency } : {}),
          ...(settings.maxRuntimeMs ? { maxRuntimeMs: settings.maxRuntimeMs } : {}),
          attemptHistory: settings.attemptHistory,
          registry,
        }) as QueueSurface<unknown, unknown>,
      ]);
      try {
        const peer = await fixture.peer();
        const real: Real = {
          clients: [fixture.rt.use(fixture.surfaces[0]), peer.use(fixture.surfaces[0])],
          time: fixture.time,
          features: (env.capabilities.kinds.queue?.features ?? {}) as Record<string, boolean | undefined>,
        };
        await fc.asyncModelRun(() => ({ model: new QueueModel(() => fixture.time.now(), settings), real }), cmds);
      } finally {
        await fixture.close();
      }
    }),
};
