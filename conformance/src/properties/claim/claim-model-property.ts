import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { claim, type ClaimHandle, type ClaimSurface } from '@stateproof/core';
import { ClaimModel } from '../../models/claim-model.js';
import { outcome } from '../../models/outcome.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { TimeControl } from '../../environment/time-control.js';
import { jsonArb } from '../arbitraries.js';
import { modelCommands } from '../common/model-commands.js';

interface Real {
  readonly clients: readonly ClaimHandle<unknown>[];
  readonly time: TimeControl;
}

type Cmd = fc.AsyncCommand<ClaimModel, Real>;

type TokenChoice = 'latest' | 'older' | 'newer';

const keys = fc.constantFrom('charge:1', 'charge:2', "o'k%");

const owners = fc.constantFrom('worker-a', 'worker-b', 'worker-c');

function tokenOf(model: ClaimModel, key: string, choice: TokenChoice): number {
  const latest = model.token(key);
  return choice === 'latest' ? Math.max(1, latest) : choice === 'older' ? Math.max(1, latest - 1) : latest + 1;
}

class Acquire implements Cmd {
  constructor(
    readonly client: number,
    readonly key: string,
    readonly owner: string,
    readonly leaseMs: number,
  ) {}
  check = () => true;
  async run(model: ClaimModel, real: Real): Promise<void> {
    const h = real.clients[this.client % real.clients.length] as ClaimHandle<unknown>;
    model.checkAcquire(
      this.key,
      this.owner,
      this.leaseMs,
      await outcome(
        () => h.acquire(this.key, { owner: this.owner, leaseMs: this.leaseMs }) as Promise<{ status: string }>,
      ),
    );
  }
  toString = () => `client${this.client}.acquire(${JSON.stringify(this.key)}, ${this.owner}, ${this.leaseMs}ms)`;
}

class Write implements Cmd {
  constructor(
    readonly client: number,
    readonly op: 'renew' | 'complete' | 'release' | 'abandon',
    readonly key: string,
    readonly token: TokenChoice,
    readonly leaseMs: number,
    readonly result: unknown,
  ) {}
  check = () => true;
  async run(model: ClaimModel, real: Real): Promise<void> {
    const h = real.clients[this.client % real.clients.length] as ClaimHandle<unknown>;
    const token = tokenOf(model, this.key, this.token);
    const reason = `gave up ${this.leaseMs}`;
    const run = (): Promise<unknown> => {
      switch (this.op) {
        case 'renew':
          return h.renew(this.key, token, { leaseMs: this.leaseMs });
        case 'complete':
          return h.complete(this.key, token, this.result);
        case 'release':
          return h.release(this.key, token);
        case 'abandon':
          return h.abandon(this.key, token, reason);
      }
    };
    model.checkWrite(
      this.op,
      this.key,
      token,
      { leaseMs: this.leaseMs, result: this.result, reason },
      await outcome(run),
    );
  }
  toString = () =>
    `client${this.client}.${this.op}(${JSON.stringify(this.key)}, ${this.token} token${this.op === 'renew' ? `, ${this.leaseMs}ms` : ''})`;
}

class Get implements Cmd {
  constructor(readonly key: string) {}
  check = () => true;
  async run(model: ClaimModel, real: Real): Promise<void> {
    model.checkGet(
      this.key,
      await outcome(
        () =>
          (real.clients[0] as ClaimHandle<unknown>).get(this.key) as unknown as Promise<Record<string, unknown> | null>,
      ),
    );
  }
  toString = () => `get(${JSON.stringify(this.key)})`;
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_m: ClaimModel, real: Real): Promise<void> {
    await real.time.advance(this.ms);
  }
  toString = () => `advance(${this.ms}ms)`;
}

/**
 * Acquire, renew, complete, release and abandon from two clients with current, older and forged
 * tokens, leases running out as time moves, checked against the claim model.
 */
export const claimModelProperty: PropertySpec = {
  name: 'claim/model',
  kind: 'claim',
  requirements: [
    'CLM-001',
    'CLM-002',
    'CLM-003',
    'CLM-004',
    'CLM-005',
    'CLM-006',
    'CLM-007',
    'CLM-008',
    'CLM-009',
    'CLM-010',
    'CLM-011',
    'CLM-012',
  ],
  exactTime: true,
  property: (env) => {
    const client = fc.integer({ min: 0, max: 1 });
    const lease = fc.constantFrom(10, 30, 50);
    const token = fc.constantFrom<TokenChoice>('latest', 'latest', 'latest', 'older', 'newer');
    const cmds: Array<fc.Arbitrary<Cmd>> = [
      fc.tuple(client, keys, owners, lease).map(([c, k, o, l]) => new Acquire(c, k, o, l)),
      fc
        .tuple(
          client,
          fc.constantFrom<'renew' | 'complete' | 'release' | 'abandon'>(
            'renew',
            'renew',
            'complete',
            'release',
            'abandon',
          ),
          keys,
          token,
          lease,
          jsonArb,
        )
        .map(([c, op, k, t, l, r]) => new Write(c, op, k, t, l, r)),
      keys.map((k) => new Get(k)),
      fc.constantFrom(5, 10, 25, 60).map((ms) => new Advance(ms)),
    ];
    return fc.asyncProperty(modelCommands(cmds, env, 60), async (commands) => {
      const fixture = await env.fixtures.open((registry) => [
        claim('conformance.claim', { durability: env.cls, result: Type.Unknown(), registry }) as ClaimSurface<unknown>,
      ]);
      try {
        const peer = await fixture.peer();
        const real: Real = {
          clients: [fixture.rt.use(fixture.surfaces[0]), peer.use(fixture.surfaces[0])],
          time: fixture.time,
        };
        await fc.asyncModelRun(() => ({ model: new ClaimModel(() => fixture.time.now()), real }), commands);
      } finally {
        await fixture.close();
      }
    });
  },
};
