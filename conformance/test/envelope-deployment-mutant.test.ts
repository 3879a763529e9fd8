import { expect, it } from 'vitest';
import { MEMORY_MUTANTS, memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// Core checks the envelope for every kind; a check that forgets deployment and fingerprint on
// deployment-scoped surfaces shows only when a value of another deployment is read there.
const ENVELOPE = ALL_PROPERTIES.filter((p) => p.name.endsWith('/envelope'));
const REQUIREMENT: Record<string, string> = {
  'record/envelope': 'REC-028',
  'log/envelope': 'LOG-026',
  'claim/envelope': 'CLM-015',
  'queue/envelope': 'QUE-032',
  'dataspace/envelope': 'DSP-020',
  'channel/envelope': 'CHN-011',
};
const SEED = 20261203;

it('every kind has an envelope property', () => {
  expect(ENVELOPE.map((p) => p.name).sort()).toEqual(Object.keys(REQUIREMENT).sort());
});

it('each envelope property catches a check that skips the deployment fields, naming its requirement', async () => {
  const mutant = MEMORY_MUTANTS.find((m) => m.name === 'envelope-deployment-unchecked');
  const report = await runConformance({
    target: mutant!.target(),
    properties: ENVELOPE,
    // The kind's properties; a telemetry log (which memory also claims) is checked by its class's own.
    classes: ['ephemeral'],
    runs: 30,
    seed: SEED,
    shrinkTimeMs: 1_000,
  });
  expect(report.outcomes.map((o) => [o.name, o.status, o.failedRequirements])).toEqual(
    ENVELOPE.map((p) => [p.name, 'fail', [REQUIREMENT[p.name]]]),
  );
  for (const o of report.outcomes)
    expect(o.reason).toMatch(/(deployment|fingerprint) is foreign, on a deployment-scoped surface/);
});

it('the memory adapter (core unpatched, also after the mutant closed) passes every envelope property', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    properties: ENVELOPE,
    classes: ['ephemeral'],
    runs: 60,
    seed: SEED,
  });
  expect(report.outcomes.map((o) => [o.name, o.status])).toEqual(ENVELOPE.map((p) => [p.name, 'pass']));
});
