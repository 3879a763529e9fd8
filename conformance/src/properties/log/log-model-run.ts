import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { log, type LogHandle, type LogSurface } from '@stateproof/core';
import { LogModel, type LogRetention } from '../../models/log-model.js';
import { outcome } from '../../models/outcome.js';
import type { PropertyEnv } from '../../environment/property-spec.js';
import type { TimeControl } from '../../environment/time-control.js';
import { jsonArb } from '../arbitraries.js';
import { modelCommands } from '../common/model-commands.js';

interface Real {
  /** One handle per client: two runtimes on one namespace, like two processes. */
  readonly clients: readonly LogHandle<unknown>[];
  readonly time: TimeControl;
  readonly batch: boolean;
}

type Cmd = fc.AsyncCommand<LogModel, Real>;

const streams = fc.constantFrom('s', 't', 'é:😀');

class Append implements Cmd {
  constructor(
    readonly client: number,
    readonly stream: string,
    readonly values: readonly unknown[],
  ) {}
  check = () => true;
  async run(model: LogModel, real: Real): Promise<void> {
    const h = real.clients[this.client % real.clients.length] as LogHandle<unknown>;
    const values = real.batch ? this.values : this.values.slice(0, 1);
    const invokedAt = real.time.now();
    const got = await outcome(async () =>
      values.length === 1 ? [await h.append(this.stream, values[0])] : h.appendBatch(this.stream, values),
    );
    model.checkAppend(this.stream, values, got, invokedAt);
  }
  toString = () => `client${this.client}.append(${JSON.stringify(this.stream)}, ${this.values.length} value(s))`;
}

class Read implements Cmd {
  constructor(
    readonly client: number,
    readonly stream: string,
    readonly from: 'start' | 'oldest' | 'last' | 'beyond' | number,
    readonly limit: number,
  ) {}
  check = () => true;
  async run(model: LogModel, real: Real): Promise<void> {
    const { first, last } = model.range(this.stream);
    const after =
      this.from === 'start'
        ? 0
        : this.from === 'oldest'
          ? Math.max(0, (first ?? last + 1) - 1)
          : this.from === 'last'
            ? last
            : this.from === 'beyond'
              ? last + 5
              : Math.min(this.from, last + 1);
    const h = real.clients[this.client % real.clients.length] as LogHandle<unknown>;
    model.checkRead(
      this.stream,
      after,
      this.limit,
      await outcome(() => h.read(this.stream, { after, limit: this.limit })),
    );
  }
  toString = () => `client${this.client}.read(${JSON.stringify(this.stream)}, after ${this.from}, limit ${this.limit})`;
}

class Info implements Cmd {
  constructor(readonly stream: string) {}
  check = () => true;
  async run(model: LogModel, real: Real): Promise<void> {
    model.checkInfo(this.stream, await outcome(() => (real.clients[0] as LogHandle<unknown>).info(this.stream)));
  }
  toString = () => `info(${JSON.stringify(this.stream)})`;
}

class Cursor implements Cmd {
  constructor(
    readonly client: number,
    readonly stream: string,
    readonly consumer: string,
    readonly to: 'get' | 'last' | 'back' | 'beyond' | 'same',
    readonly reset: boolean,
  ) {}
  check = () => true;
  async run(model: LogModel, real: Real): Promise<void> {
    const h = real.clients[this.client % real.clients.length] as LogHandle<unknown>;
    if (this.to === 'get') {
      model.checkGetCursor(this.stream, this.consumer, await outcome(() => h.getCursor(this.stream, this.consumer)));
      return;
    }
    const current = model.cursor(this.stream, this.consumer);
    const last = model.range(this.stream).last;
    const seq =
      this.to === 'last'
        ? last
        : this.to === 'back'
          ? Math.max(0, current - 1)
          : this.to === 'beyond'
            ? last + 1
            : current;
    model.checkCommit(
      this.stream,
      this.consumer,
      seq,
      this.reset,
      await outcome(() => h.commitCursor(this.stream, this.consumer, seq, { reset: this.reset })),
    );
  }
  toString = () =>
    `client${this.client}.cursor(${JSON.stringify(this.stream)}, ${this.consumer}, ${this.to}${this.reset ? ', reset' : ''})`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_model: LogModel, real: Real): Promise<void> {
    await real.time.advance(this.ms);
  }
  toString = () => `advance(${this.ms}ms)`;
}

/**
 * The log model's commands (appends from two clients, reads from anywhere, info, optionally cursors
 * and time) run against a log surface retaining as each of `retentions` says; log/model and
 * log/retention differ only in these arguments.
 */
export function logModelRun(env: PropertyEnv, retentions: readonly LogRetention[], cursors: boolean) {
  const client = fc.integer({ min: 0, max: 1 });
  const cmds: Array<fc.Arbitrary<Cmd>> = [
    fc
      .tuple(client, streams, fc.array(jsonArb, { minLength: 1, maxLength: 4 }))
      .map(([c, s, v]) => new Append(c, s, v)),
    fc
      .tuple(
        client,
        streams,
        fc.oneof(
          fc.constantFrom<'start' | 'oldest' | 'last' | 'beyond'>('start', 'oldest', 'last', 'beyond'),
          fc.integer({ min: 0, max: 30 }),
        ),
        fc.integer({ min: 1, max: 5 }),
      )
      .map(([c, s, f, l]) => new Read(c, s, f, l)),
    streams.map((s) => new Info(s)),
  ];
  if (cursors)
    cmds.push(
      fc
        .tuple(
          client,
          streams,
          fc.constantFrom('c1', 'c2'),
          fc.constantFrom<'get' | 'last' | 'back' | 'beyond' | 'same'>('get', 'last', 'back', 'beyond', 'same'),
          fc.boolean(),
        )
        .map(([c, s, n, t, r]) => new Cursor(c, s, n, t, r)),
    );
  if (retentions.some((r) => r.maxAgeMs !== undefined) && env.exactTime)
    cmds.push(fc.constantFrom(5, 20, 45).map((ms) => new Advance(ms)));
  return fc.asyncProperty(fc.constantFrom(...retentions), modelCommands(cmds, env, 60), async (retention, commands) => {
    const fixture = await env.fixtures.open((registry) => [
      log('conformance.log', {
        durability: env.cls,
        value: Type.Unknown(),
        ...(retention.maxEntries || retention.maxAgeMs ? { retention } : {}),
        registry,
      }) as LogSurface<unknown>,
    ]);
    try {
      const peer = await fixture.peer();
      const real: Real = {
        clients: [fixture.rt.use(fixture.surfaces[0]), peer.use(fixture.surfaces[0])],
        time: fixture.time,
        batch: env.capabilities.kinds.log?.features.batch === true,
      };
      await fc.asyncModelRun(
        () => ({ model: new LogModel(() => fixture.time.now(), retention, fixture.time.slackMs), real }),
        commands,
      );
    } finally {
      await fixture.close();
    }
  });
}
