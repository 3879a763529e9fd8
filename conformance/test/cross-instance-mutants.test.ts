import { describe, expect, it } from 'vitest';
import { MEMORY_MUTANTS as ALL_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// These mutants read the backend whenever their consumer asks but are woken only by writes through
// their own instance: every property that reads after writing passes them. Only the cross-instance
// properties, which park subscribers before another instance writes, catch them.
const CROSS = {
  'log-tail-woken-by-own-appends-only': 'log/cross-instance-tail',
  'dataspace-subscription-woken-by-own-changes-only': 'dataspace/cross-instance-subscribe',
  'channel-subscription-woken-by-own-publishes-only': 'channel/cross-instance-delivery',
} as const;
const mutants = ALL_MUTANTS.filter((m) => m.name in CROSS);
const SEED = 20260612;

it('registers one mutant per cross-instance property', () => {
  expect(mutants.map((m) => m.name).sort()).toEqual(Object.keys(CROSS).sort());
  for (const property of Object.values(CROSS)) expect(ALL_PROPERTIES.map((p) => p.name)).toContain(property);
});

describe.each(mutants)('$name', (mutant) => {
  const property = CROSS[mutant.name as keyof typeof CROSS];

  it('passes every other property of its kind', async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: [mutant.kind],
      properties: ALL_PROPERTIES.filter((p) => p.name !== property),
      runs: 20,
      seed: SEED,
    });
    expect(report.outcomes.filter((o) => o.status === 'fail').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
    expect(report.outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThan(5);
  });

  it(`fails ${property}, naming a requirement it breaks and the instance that wrote`, async () => {
    const report = await runConformance({
      target: mutant.target(),
      kinds: [mutant.kind],
      properties: ALL_PROPERTIES.filter((p) => p.name === property),
      runs: 20,
      seed: SEED,
      shrinkTimeMs: 3_000,
    });
    expect(report.verdict).toBe('fail');
    const [outcome] = report.outcomes;
    expect(outcome?.failedRequirements?.some((id) => mutant.breaks.includes(id))).toBe(true);
    expect(outcome?.reason).toMatch(/nothing for 2000 ms after (instance|replica) \d/);
  });
});

it('the memory adapter passes the cross-instance properties', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    properties: ALL_PROPERTIES.filter((p) => (Object.values(CROSS) as string[]).includes(p.name)),
    // The kind's properties; a telemetry log (which memory also claims) is checked by its class's own.
    classes: ['ephemeral'],
    runs: 50,
    seed: SEED,
  });
  expect(report.outcomes.map((o) => [o.name, o.status])).toEqual(Object.values(CROSS).map((n) => [n, 'pass']));
});
