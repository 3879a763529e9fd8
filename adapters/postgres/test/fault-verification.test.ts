import { afterAll, describe, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { noOpFaultPostgresTarget, postgresTarget } from '@stateproof/adapter-postgres/conformance';
import { binding, PG_AVAILABLE, PG_URL, TestSchemas } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

// Every connection-loss property, run with the fault verified (the connections held before
// dropConnections must be gone): the kit's hook really severs them, the no-op mutant's does not.
const LOSS = ALL_PROPERTIES.filter((p) => p.name.endsWith('/connection-loss'));
const SEED = 20261203;

describe.skipIf(!PG_AVAILABLE)('postgres fault hook, verified', () => {
  it('connectionIdentity names the live backends, and none of them survives dropConnections', async () => {
    const faults = postgresTarget({ url: PG_URL }).faults!;
    const adapter = await schemas.open();
    await (await adapter.openRecord(binding('record'))).put('k', 'v'); // a pooled connection, open and idle
    const before = await faults.connectionIdentity(adapter);
    expect(before.length).toBeGreaterThan(0);
    for (const id of before) expect(id).toMatch(/^\d+@\d{4}-\d\d-\d\dT/);
    await faults.dropConnections(adapter);
    await new Promise((r) => setTimeout(r, 200));
    const after = await faults.connectionIdentity(adapter);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });

  it('the real kit passes every connection-loss property with the fault verified', async () => {
    expect(LOSS.map((p) => p.name).sort()).toEqual(
      ['channel', 'claim', 'dataspace', 'log', 'queue', 'record'].map((k) => `${k}/connection-loss`),
    );
    const report = await runConformance({
      target: postgresTarget({ url: PG_URL }),
      // The classes whose surfaces the kinds' properties write (derived projections and telemetry have properties of their own).
      classes: ['shared-durable', 'ephemeral'],
      properties: LOSS,
      runs: 10,
      seed: SEED,
    });
    expect(report.outcomes.map((o) => [o.name, o.status, o.reason])).toEqual(
      LOSS.map((p) => [p.name, 'pass', undefined]),
    );
  }, 120_000);

  it('the no-op mutant fails record/connection-loss with "fault not injected" against REC-031', async () => {
    const report = await runConformance({
      target: noOpFaultPostgresTarget(),
      properties: LOSS.filter((p) => p.name === 'record/connection-loss'),
      runs: 30,
      seed: SEED,
      shrinkTimeMs: 2_000,
    });
    const [outcome] = report.outcomes;
    expect(outcome?.status).toBe('fail');
    expect(outcome?.failedRequirements).toEqual(['REC-031']);
    expect(outcome?.reason).toMatch(/fault not injected: after dropConnections \d+ of the \d+ connections/);
  });
});
