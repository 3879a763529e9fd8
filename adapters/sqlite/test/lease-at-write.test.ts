import { afterAll, expect, it } from 'vitest';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';
import { sqliteTarget } from '@stateproof/adapter-sqlite/conformance';

// The write delay moves the suite's manual clock inside the write transaction, after the row is
// read and before the lease is judged: the write must be refused (CLM-007, QUE-010).
const AT_WRITE = ALL_PROPERTIES.filter((p) => p.name === 'claim/lease-at-write' || p.name === 'queue/lease-at-write');
const target = sqliteTarget();
afterAll(() => target.cleanup());

it('the SQLite adapter passes both lease-at-write properties', async () => {
  expect(target.writeDelay).toBe(true);
  const report = await runConformance({ target, properties: AT_WRITE, runs: 30, seed: 20261203 });
  const ran = report.outcomes.filter((o) => o.status !== 'skip');
  expect(ran.length).toBeGreaterThanOrEqual(2);
  expect(ran.filter((o) => o.status !== 'pass').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
  expect(new Set(ran.map((o) => o.name))).toEqual(new Set(AT_WRITE.map((p) => p.name)));
}, 60_000);
