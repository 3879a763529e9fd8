import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordHandle, type RecordSurface } from '@stateproof/core';
import { outcome } from '../../models/outcome.js';
import { RecordModel } from '../../models/record-model.js';
import type { TimeControl } from '../../environment/time-control.js';
import type { PropertyEnv, PropertySpec } from '../../environment/property-spec.js';
import { jsonArb } from '../arbitraries.js';
import { modelCommands } from '../common/model-commands.js';

interface Real {
  readonly handle: RecordHandle<unknown>;
  readonly time: TimeControl;
}

type Cas = 'none' | 'current' | 'stale' | 'absent';

function casOptions(model: RecordModel, key: string, cas: Cas): { ifVersion?: number; ifAbsent?: boolean } {
  switch (cas) {
    case 'none':
      return {};
    case 'absent':
      return { ifAbsent: true };
    case 'current':
      return { ifVersion: model.versionOf(key) ?? model.highestVersion(key) + 1 };
    case 'stale':
      return { ifVersion: model.highestVersion(key) + 1_000_000 };
  }
}

class PutCommand implements fc.AsyncCommand<RecordModel, Real> {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly cas: Cas,
    readonly ttlMs: number | undefined,
  ) {}
  check = () => true;
  async run(model: RecordModel, real: Real): Promise<void> {
    const options = {
      ...casOptions(model, this.key, this.cas),
      ...(this.ttlMs === undefined ? {} : { ttlMs: this.ttlMs }),
    };
    model.checkPut(this.key, this.value, options, await outcome(() => real.handle.put(this.key, this.value, options)));
  }
  toString = () =>
    `put(${JSON.stringify(this.key)}, ${JSON.stringify(this.value)}, ${this.cas}${this.ttlMs === undefined ? '' : `, ttl ${this.ttlMs}`})`;
}

class GetCommand implements fc.AsyncCommand<RecordModel, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: RecordModel, real: Real): Promise<void> {
    model.checkGet(this.key, await outcome(() => real.handle.get(this.key)));
  }
  toString = () => `get(${JSON.stringify(this.key)})`;
}

class DeleteCommand implements fc.AsyncCommand<RecordModel, Real> {
  constructor(
    readonly key: string,
    readonly cas: 'none' | 'current' | 'stale',
  ) {}
  check = () => true;
  async run(model: RecordModel, real: Real): Promise<void> {
    const options = casOptions(model, this.key, this.cas) as { ifVersion?: number };
    model.checkDelete(this.key, options, await outcome(() => real.handle.delete(this.key, options)));
  }
  toString = () => `delete(${JSON.stringify(this.key)}, ${this.cas})`;
}

class ListCommand implements fc.AsyncCommand<RecordModel, Real> {
  constructor(
    readonly prefix: string,
    readonly limit: number,
  ) {}
  check = () => true;
  async run(model: RecordModel, real: Real): Promise<void> {
    const keys: string[] = [];
    const items = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const r = await real.handle.list({ prefix: this.prefix, limit: this.limit, cursor });
      if (r.items.length > this.limit)
        throw new Error(`[${'REC-015'}] a page of limit ${this.limit} held ${r.items.length} records`);
      keys.push(...r.items.map((i) => i.key));
      items.push(...r.items);
      cursor = r.cursor;
      if (cursor === null) break;
    }
    model.checkWalk(this.prefix, keys, items);
  }
  toString = () => `list(${JSON.stringify(this.prefix)}, limit ${this.limit})`;
}

class AdvanceCommand implements fc.AsyncCommand<RecordModel, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_model: RecordModel, real: Real): Promise<void> {
    await real.time.advance(this.ms);
  }
  toString = () => `advance(${this.ms}ms)`;
}

function commands(env: PropertyEnv, withTtl: boolean, withList: boolean, exactTime: boolean) {
  // Few keys, so that commands keep meeting on the same ones; U+FFFF and an astral character tell UTF-8 from UTF-16 order.
  const key = fc.constantFrom('a', 'ab', 'b', ':', '%', 'é', '😀', '\uffff');
  const cas = fc.constantFrom<Cas>('none', 'current', 'stale', 'absent');
  const ttl =
    withTtl && exactTime ? fc.option(fc.constantFrom(1, 5, 20), { nil: undefined, freq: 2 }) : fc.constant(undefined);
  const list: Array<fc.Arbitrary<fc.AsyncCommand<RecordModel, Real>>> = [
    fc.tuple(key, jsonArb, cas, ttl).map(([k, v, c, t]) => new PutCommand(k, v, c, t)),
    key.map((k) => new GetCommand(k)),
    fc
      .tuple(key, fc.constantFrom<'none' | 'current' | 'stale'>('none', 'current', 'stale'))
      .map(([k, c]) => new DeleteCommand(k, c)),
  ];
  if (withList)
    list.push(
      fc
        .tuple(fc.constantFrom('', '', 'a', '%', '\uffff'), fc.integer({ min: 1, max: 4 }))
        .map(([p, l]) => new ListCommand(p, l)),
    );
  if (exactTime && withTtl) list.push(fc.constantFrom(1, 5, 10, 30).map((ms) => new AdvanceCommand(ms)));
  return modelCommands(list, env, 60);
}

/**
 * The record model's commands run against a record surface, with or without a default TTL;
 * record/model and record/default-ttl differ only in that.
 */
export function recordModelRun(withDefaultTtl: boolean): PropertySpec['property'] {
  return (env) => {
    const withTtl = env.capabilities.kinds.record?.features.ttl === true;
    const withList = env.capabilities.kinds.record?.features.list === true;
    return fc.asyncProperty(commands(env, withTtl, withList, env.exactTime), async (cmds) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.record', {
          durability: env.cls,
          value: Type.Unknown(),
          ...(withDefaultTtl ? { ttlMs: 15 } : {}),
          registry,
        }) as RecordSurface<unknown>,
      ]);
      try {
        const [surface] = fixture.surfaces;
        const real: Real = { handle: fixture.rt.use(surface), time: fixture.time };
        await fc.asyncModelRun(
          () => ({ model: new RecordModel(() => fixture.time.now(), withDefaultTtl ? 15 : undefined), real }),
          cmds,
        );
      } finally {
        await fixture.close();
      }
    });
  };
}
