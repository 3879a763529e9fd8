import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { dataspace, type DataspaceHandle, type DataspaceSession, type DataspaceSurface } from '@stateproof/core';
import { DataspaceModel, type Filter } from '../../models/dataspace-model.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { TimeControl } from '../../environment/time-control.js';
import { jsonArb } from '../arbitraries.js';
import { modelCommands } from '../common/model-commands.js';

interface Real {
  readonly clients: readonly DataspaceHandle<unknown>[];
  readonly sessions: Map<string, DataspaceSession<unknown>>;
  readonly time: TimeControl;
  readonly glob: boolean;
}
type Cmd = fc.AsyncCommand<DataspaceModel, Real>;
const client = fc.integer({ min: 0, max: 1 });
const ids = fc.constantFrom('route:/a', 'route:/b', 'route*', 'node:1', 'r?ute');
const on = (real: Real, c: number) => real.clients[c % real.clients.length] as DataspaceHandle<unknown>;

function session(model: DataspaceModel, real: Real, n: number): DataspaceSession<unknown> | string {
  const known = model.sessionIds();
  if (known.length === 0 || n === 99) return 'missing-session';
  return real.sessions.get(known[n % known.length] as string) as DataspaceSession<unknown>;
}

class Open implements Cmd {
  constructor(
    readonly client: number,
    readonly owner: string,
    readonly leaseMs: number,
  ) {}
  check = () => true;
  async run(model: DataspaceModel, real: Real): Promise<void> {
    const got = await outcome(async () => {
      const s = await on(real, this.client).openSession({ owner: this.owner, leaseMs: this.leaseMs });
      real.sessions.set(s.id, s);
      return { id: s.id, expiresAt: s.expiresAt };
    });
    model.checkOpen(this.owner, this.leaseMs, got);
  }
  toString = () => `client${this.client}.openSession(${this.owner}, ${this.leaseMs}ms)`;
}

class OnSession implements Cmd {
  constructor(
    readonly op: 'assert' | 'retract' | 'heartbeat' | 'close',
    readonly session: number,
    readonly id: string,
    readonly value: unknown,
    readonly leaseMs: number,
  ) {}
  check = () => true;
  async run(model: DataspaceModel, real: Real): Promise<void> {
    const s = session(model, real, this.session);
    if (typeof s === 'string') {
      // An unknown session id: go through the store the way a forged id would.
      return;
    }
    switch (this.op) {
      case 'assert':
        return model.checkAssert(s.id, this.id, this.value, await outcome(() => s.assert(this.id, this.value)));
      case 'retract':
        return model.checkRetract(s.id, this.id, await outcome(() => s.retract(this.id)));
      case 'heartbeat':
        return model.checkHeartbeat(s.id, this.leaseMs, await outcome(() => s.heartbeat({ leaseMs: this.leaseMs })));
      case 'close':
        return model.checkClose(s.id, await outcome(() => s.close()));
    }
  }
  toString = () =>
    `session#${this.session}.${this.op}(${this.op === 'assert' || this.op === 'retract' ? JSON.stringify(this.id) : this.op === 'heartbeat' ? `${this.leaseMs}ms` : ''})`;
}

class Read implements Cmd {
  constructor(
    readonly client: number,
    readonly what: { get: string } | { list: Filter },
  ) {}
  check = () => true;
  async run(model: DataspaceModel, real: Real): Promise<void> {
    const h = on(real, this.client);
    if ('get' in this.what) {
      const id = this.what.get;
      return model.checkGet(id, await outcome(() => h.get(id)));
    }
    const filter = this.what.list;
    if (filter.type === 'glob' && !real.glob) return;
    model.checkList(filter, await outcome(() => h.list(filter)));
  }
  toString = () =>
    `client${this.client}.${'get' in this.what ? `get(${JSON.stringify(this.what.get)})` : `list(${JSON.stringify(this.what.list)})`}`;
}

class Reap implements Cmd {
  constructor(readonly client: number) {}
  check = () => true;
  async run(model: DataspaceModel, real: Real): Promise<void> {
    model.checkReap(await outcome(() => on(real, this.client).reap()));
  }
  toString = () => `client${this.client}.reap()`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: DataspaceModel, real: Real): Promise<void> {
    await real.time.advance(this.ms);
  }
  toString = () => `advance(${this.ms}ms)`;
}

const filterArb: fc.Arbitrary<Filter> = fc.oneof(
  fc.constant<Filter>({ type: 'all' }),
  ids.map((id): Filter => ({ type: 'exact', id })),
  fc.constantFrom('route', 'route*', 'r', '').map((prefix): Filter => ({ type: 'prefix', prefix })),
  fc.constantFrom('route:*', 'r?ute*', 'route\\*', '*:1', '*').map((pattern): Filter => ({ type: 'glob', pattern })),
);

/**
 * Sessions of several owners on two clients assert, overwrite and retract ids, close, heartbeat and
 * expire as time moves; reads, filters and the reaper are checked against the dataspace model.
 */
export const dataspaceModelProperty: PropertySpec = {
  name: 'dataspace/model',
  kind: 'dataspace',
  requirements: [
    'DSP-001',
    'DSP-002',
    'DSP-003',
    'DSP-004',
    'DSP-005',
    'DSP-006',
    'DSP-007',
    'DSP-008',
    'DSP-009',
    'DSP-011',
    'DSP-012',
    'DSP-013',
    'DSP-024',
  ],
  exactTime: true,
  weight: 2,
  property: (env) => {
    const lease = fc.constantFrom(20, 50);
    const onSession = fc
      .tuple(
        fc.constantFrom<OnSession['op']>('assert', 'assert', 'assert', 'retract', 'heartbeat', 'close'),
        fc.nat(8),
        ids,
        jsonArb,
        lease,
      )
      .map(([op, s, id, v, l]) => new OnSession(op, s, id, v, l));
    const cmds: Array<fc.Arbitrary<Cmd>> = [
      fc.tuple(client, fc.constantFrom('node-a', 'node-b', 'node-c'), lease).map(([c, o, l]) => new Open(c, o, l)),
      onSession,
      onSession,
      fc
        .tuple(
          client,
          fc.oneof(
            ids.map((get) => ({ get })),
            filterArb.map((list) => ({ list })),
          ),
        )
        .map(([c, w]) => new Read(c, w)),
      client.map((c) => new Reap(c)),
      fc.constantFrom(5, 15, 30).map((ms) => new Advance(ms)),
    ];
    return fc.asyncProperty(modelCommands(cmds, env, 80), async (commands) => {
      const fixture = await env.fixtures.open((registry) => [
        dataspace('conformance.dataspace', {
          durability: env.cls,
          value: Type.Unknown(),
          registry,
        }) as DataspaceSurface<unknown>,
      ]);
      try {
        const peer = await fixture.peer();
        const real: Real = {
          clients: [fixture.rt.use(fixture.surfaces[0]), peer.use(fixture.surfaces[0])],
          sessions: new Map(),
          time: fixture.time,
          glob: env.capabilities.kinds.dataspace?.features.glob === true,
        };
        await fc.asyncModelRun(() => ({ model: new DataspaceModel(() => fixture.time.now()), real }), commands);
      } finally {
        await fixture.close();
      }
    });
  },
};
