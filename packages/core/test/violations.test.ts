import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { memoryAdapter, MemoryBackend } from '@stateproof/adapter-memory';
import {
  createRegistry,
  log,
  openRuntime,
  record,
  VIOLATION_CODES,
  VIOLATIONS,
  type Adapter,
  type Logger,
  type Mode,
  type Registry,
  type ViolationCode,
} from '@stateproof/core';

const V = Type.Object({ n: Type.Integer({ minimum: 0 }) });

/** The memory adapter presented as a disk-backed one that certifies every class: to reach checks behind the memory check. */
function certifyingAdapter(backend = new MemoryBackend()): Adapter {
  const inner = memoryAdapter({ backend });
  const all = ['ephemeral', 'restart-safe-local', 'shared-durable'] as const;
  const kinds = Object.fromEntries(
    Object.entries(inner.capabilities.kinds).map(([k, v]) => [k, { ...v, classes: [...all] }]),
  );
  return Object.assign(Object.create(inner) as Adapter, {
    capabilities: { ...inner.capabilities, backend: 'fake-disk', kinds },
    probe: async () => ({
      ...(await inner.probe()),
      classes: all.map((c) => ({ class: c, certified: true, reasons: ['test double'] })),
    }),
  });
}

/** An adapter that claims shared-durable but whose probe refuses it. */
function uncertifiedAdapter(): Adapter {
  const inner = certifyingAdapter();
  return Object.assign(Object.create(inner) as Adapter, {
    probe: async () => ({
      ...(await inner.probe()),
      classes: [{ class: 'shared-durable', certified: false, reasons: ['fsync is off'] }],
    }),
  });
}

interface Ctx {
  mode: Mode;
  registry: Registry;
  logger: Logger;
}

const base = (c: Ctx) => ({
  app: 'shop',
  deployment: 'd1',
  mode: c.mode,
  registry: c.registry,
  logger: c.logger,
  maintenanceIntervalMs: false as const,
});

/** One scenario per violation: it must trigger exactly that code. */
const SCENARIOS: Record<ViolationCode, (c: Ctx) => Promise<unknown>> = {
  STATEPROOF_RUNTIME_DEFINITION: async (c) => {
    const rt = await openRuntime({ ...base(c), adapter: certifyingAdapter() });
    try {
      record('late', { durability: 'shared-durable', value: V, registry: c.registry });
    } finally {
      await rt.close();
    }
  },
  STATEPROOF_DUPLICATE_ID: async (c) => {
    record('dup', { durability: 'ephemeral', value: V, registry: c.registry });
    record('dup', { durability: 'ephemeral', value: Type.String(), registry: c.registry });
    await (await openRuntime({ ...base(c), adapter: memoryAdapter() })).close();
  },
  STATEPROOF_MEMORY_DURABLE: async (c) => {
    record('orders', { durability: 'shared-durable', value: V, registry: c.registry });
    await (await openRuntime({ ...base(c), adapter: memoryAdapter() })).close();
  },
  STATEPROOF_CLASS_NOT_CERTIFIED: async (c) => {
    record('orders', { durability: 'shared-durable', value: V, registry: c.registry });
    await (await openRuntime({ ...base(c), adapter: uncertifiedAdapter() })).close();
  },
  STATEPROOF_MANIFEST_MISMATCH: async (c) => {
    record('orders', { durability: 'ephemeral', value: V, registry: c.registry });
    await (await openRuntime({ ...base(c), adapter: memoryAdapter(), manifest: 'sha256:' + '0'.repeat(64) })).close();
  },
  STATEPROOF_RUNTIME_MISMATCH: async (c) => {
    const backend = new MemoryBackend();
    const other = createRegistry();
    record('orders', { durability: 'ephemeral', value: V, registry: other });
    const first = await openRuntime({
      app: 'shop',
      deployment: 'd1',
      mode: 'off',
      registry: other,
      maintenanceIntervalMs: false,
      adapter: memoryAdapter({ backend }),
    });
    try {
      record('orders', { durability: 'ephemeral', value: Type.String(), registry: c.registry });
      await (await openRuntime({ ...base(c), adapter: memoryAdapter({ backend }) })).close();
    } finally {
      await first.close();
    }
  },
  STATEPROOF_SCHEMA_VIOLATION: async (c) => {
    const orders = record('orders', { durability: 'ephemeral', value: V, registry: c.registry });
    const rt = await openRuntime({ ...base(c), adapter: memoryAdapter() });
    try {
      await rt.use(orders).put('k', { n: -1 });
    } finally {
      await rt.close();
    }
  },
  STATEPROOF_MISSING_SCOPE: async (c) => {
    record('orders', { durability: 'ephemeral', value: V, registry: c.registry });
    await (
      await openRuntime({
        mode: c.mode,
        registry: c.registry,
        logger: c.logger,
        maintenanceIntervalMs: false,
        adapter: memoryAdapter(),
        app: 'shop',
      })
    ).close();
  },
  STATEPROOF_LOCAL_MULTI_REPLICA: async (c) => {
    record('cache', { durability: 'restart-safe-local', value: V, registry: c.registry });
    await (await openRuntime({ ...base(c), adapter: certifyingAdapter(), replicas: 3 })).close();
  },
};

describe('the violation table', () => {
  it('has a scenario for every code, and every code is in the spec catalogue with a fix', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual([...VIOLATION_CODES].sort());
    for (const code of VIOLATION_CODES) {
      expect(VIOLATIONS[code].actions).toEqual({ off: 'allow', warn: 'warn', enforce: 'refuse' });
      expect(VIOLATIONS[code].fix.length).toBeGreaterThan(10);
    }
  });

  describe.each(VIOLATION_CODES)('%s', (code) => {
    it.each(['off', 'warn', 'enforce'] as const)('in %s mode', async (mode) => {
      const warnings: string[] = [];
      const seen: string[] = [];
      const ctx: Ctx = {
        mode,
        registry: createRegistry(),
        logger: { warn: (m, v) => (warnings.push(m), v && seen.push(v.code)) },
      };
      const run = SCENARIOS[code](ctx);
      if (mode === 'enforce') {
        await expect(run).rejects.toMatchObject({ code, name: 'ViolationError' });
        expect(warnings).toEqual([]);
      } else {
        await expect(run).resolves.not.toThrow();
        if (mode === 'warn') {
          expect(seen).toContain(code);
          expect(warnings.find((w) => w.startsWith(code))).toContain(VIOLATIONS[code].fix);
        } else {
          expect(warnings).toEqual([]);
        }
      }
    });
  });

  it('a class the probe refuses points at `stateproof probe` and carries the fix', async () => {
    const registry = createRegistry();
    const warnings: string[] = [];
    record('orders', { durability: 'shared-durable', value: V, registry });
    const inner = uncertifiedAdapter();
    const adapter = Object.assign(Object.create(inner) as Adapter, {
      probe: async () => ({
        ...(await inner.probe()),
        classes: [{ class: 'shared-durable', certified: false, reasons: ['fsync is off'], fixes: ['turn fsync on'] }],
      }),
    });
    const run = openRuntime({
      ...base({ mode: 'enforce', registry, logger: { warn: (m) => warnings.push(m) } }),
      adapter,
    });
    await expect(run).rejects.toMatchObject({
      code: 'STATEPROOF_CLASS_NOT_CERTIFIED',
      message: expect.stringMatching(/fsync is off.*to certify: turn fsync on.*`stateproof probe --adapter /s),
    });
  });

  it('warns once per surface however often the violation repeats', async () => {
    const warnings: string[] = [];
    const registry = createRegistry();
    const orders = record('orders', { durability: 'ephemeral', value: V, registry });
    const rt = await openRuntime({
      app: 'a',
      deployment: 'd',
      registry,
      adapter: memoryAdapter(),
      logger: { warn: (m) => warnings.push(m) },
      maintenanceIntervalMs: false,
    });
    for (let i = 0; i < 5; i++) await rt.use(orders).put('k', { n: -i - 1 });
    expect(warnings.filter((w) => w.startsWith('STATEPROOF_SCHEMA_VIOLATION'))).toHaveLength(1);
    expect(rt.violations.filter((v) => v.code === 'STATEPROOF_SCHEMA_VIOLATION')).toHaveLength(5);
    await rt.close();
  });

  it('defaults to warn, never to enforce', async () => {
    const registry = createRegistry();
    log('l', { durability: 'ephemeral', value: V, registry });
    const rt = await openRuntime({
      app: 'a',
      deployment: 'd',
      registry,
      adapter: memoryAdapter(),
      maintenanceIntervalMs: false,
    });
    expect(rt.mode).toBe('warn');
    await rt.close();
  });
});
