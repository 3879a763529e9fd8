import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '@stateproof/adapter-memory';
import { MEMORY_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance, type ConformanceTarget } from '@stateproof/conformance';

// A lease is judged when the write takes effect (issue 12, defect 6): these mutants judge it by a
// time read before the write waited, which only a write delayed past the expiry shows.
const AT_WRITE = {
  'claim-lease-judged-before-write': 'claim/lease-at-write',
  'queue-lease-judged-before-write': 'queue/lease-at-write',
} as const;
const mutants = MEMORY_MUTANTS.filter((m) => m.name in AT_WRITE);
const SEED = 20261203;
const atWrite = (name: string) => ALL_PROPERTIES.filter((p) => p.name === name);

it('registers one mutant per lease-at-write property', () => {
  expect(mutants.map((m) => m.name).sort()).toEqual(Object.keys(AT_WRITE).sort());
});

describe.each(mutants)('$name', (mutant) => {
  const property = AT_WRITE[mutant.name as keyof typeof AT_WRITE];

  it('passes every other property of its kind', async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: [mutant.kind],
      properties: ALL_PROPERTIES.filter((p) => p.name !== property),
      runs: 10,
      seed: SEED,
    });
    expect(report.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
    expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(5);
  });

  it(`fails ${property}, naming the requirement it breaks`, async () => {
    const report = await runConformance({
      target: mutant.target(),
      properties: atWrite(property),
      runs: 20,
      seed: SEED,
      shrinkTimeMs: 3_000,
    });
    expect(report.verdict).toBe('fail');
    const [outcome] = report.outcomes;
    expect(outcome?.failedRequirements).toEqual(mutant.breaks);
    expect(outcome?.reason).toMatch(/judged it after the lease expired .* gave ok/);
  });
});

it('the memory adapter passes both lease-at-write properties', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    properties: ALL_PROPERTIES.filter((p) => (Object.values(AT_WRITE) as string[]).includes(p.name)),
    runs: 50,
    seed: SEED,
  });
  expect(report.outcomes.map((o) => [o.name, o.status])).toEqual(Object.values(AT_WRITE).map((n) => [n, 'pass']));
});

it('skips the properties, naming the hook, for a target that does not declare writeDelay', async () => {
  const { writeDelay: _declared, ...plain } = memoryTarget();
  const report = await runConformance({
    target: plain,
    properties: ALL_PROPERTIES.filter((p) => ['claim/lease-at-write', 'claim/model'].includes(p.name)),
    runs: 5,
    seed: SEED,
  });
  const skipped = report.outcomes.find((o) => o.name === 'claim/lease-at-write');
  expect(skipped?.status).toBe('skip');
  expect(skipped?.reason).toMatch(/writeDelay/);
  // CLM-007 stays covered by claim/model, which checks stale and expired tokens without a delay.
  expect(report.requirements.find((r) => r.id === 'CLM-007')?.status).toBe('pass');
});

it('fails with "write delay not injected" when a target declares writeDelay but never calls it', async () => {
  const target: ConformanceTarget = {
    name: 'declares-but-ignores',
    create: ({ namespace, clock }) => memoryAdapter({ namespace, clock }),
    writeDelay: true,
  };
  const report = await runConformance({ target, properties: atWrite('claim/lease-at-write'), runs: 5, seed: SEED });
  const [outcome] = report.outcomes;
  expect(outcome?.status).toBe('fail');
  expect(outcome?.reason).toMatch(/write delay not injected/);
});
