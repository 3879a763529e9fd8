import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createRegistry, openRuntime, record } from '@stateproof/core';
import { runCrash } from '@stateproof/conformance';
import { dropPostgresNamespace, openPostgresAdapter } from '@stateproof/adapter-postgres';
import {
  asyncCommitPostgresMutantTarget,
  asyncCommitUrl,
  POSTGRES_MUTANTS,
  PostgresServer,
  postgresServerUnavailable,
} from '@stateproof/adapter-postgres/conformance';

// A Postgres adapter that commits with synchronous_commit=off while claiming shared-durable: the
// honest probe refuses the claim, and the lying variant is caught by a backend kill.
const CI = process.env['CI'] === 'true';
const UNAVAILABLE = postgresServerUnavailable();
if (UNAVAILABLE !== undefined) {
  const message = `\n*** Postgres async-commit mutant tests ${CI ? 'FAILING (CI=true)' : 'SKIPPED'}: cannot start a server of their own: ${UNAVAILABLE} ***\n`;
  if (CI) console.error(message);
  else console.warn(message);
}

describe.skipIf(UNAVAILABLE !== undefined && !CI)('synchronous_commit=off while claiming shared-durable', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await PostgresServer.start();
  });
  afterAll(() => server?.stop());

  it('the honest probe refuses shared-durable (and restart-safe-local) on sessions with synchronous_commit=off, and enforce refuses to bind', async () => {
    const url = asyncCommitUrl(server.url);
    expect(url).toContain('options=-c+synchronous_commit%3Doff');
    const adapter = await openPostgresAdapter({ url, namespace: 'sp_async_commit' });
    try {
      const probe = await adapter.probe();
      expect(probe.settings.synchronous_commit).toBe('off');
      const durable = probe.classes.find((c) => c.class === 'shared-durable');
      expect(durable).toMatchObject({
        certified: false,
        unmet: ['backend-kill', 'os-crash'],
        reasons: [
          expect.stringMatching(
            /^backend-kill \(no-loss demanded, the backend loses-recent\): synchronous_commit=off: .*a crash of the server may lose the last acknowledged transactions/,
          ),
          expect.stringMatching(/^os-crash /),
        ],
        fixes: [expect.stringContaining('ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf();')],
      });
      // restart-safe-local follows the same rule (no loss on a backend kill).
      expect(probe.classes.find((c) => c.class === 'restart-safe-local')?.certified).toBe(false);
      // A rebuildable projection is still fine: what the crash loses, its projector rebuilds.
      expect(probe.classes.find((c) => c.class === 'derived-projection')?.certified).toBe(true);
      const registry = createRegistry();
      const orders = record('orders', { durability: 'shared-durable', value: Type.String(), registry });
      await expect(
        openRuntime({
          adapter,
          app: 'a',
          deployment: 'd',
          mode: 'enforce',
          registry,
          surfaces: [orders],
          maintenanceIntervalMs: false,
          logger: { warn: () => undefined },
        }),
      ).rejects.toMatchObject({ code: 'STATEPROOF_CLASS_NOT_CERTIFIED' });
    } finally {
      await adapter.close();
      await dropPostgresNamespace({ url: server.url, namespace: 'sp_async_commit' });
    }
    // The server itself keeps synchronous_commit=on: only those sessions commit asynchronously.
    const honest = await openPostgresAdapter({ url: server.url, namespace: 'sp_async_commit_ref' });
    expect((await honest.probe()).classes.find((c) => c.class === 'shared-durable')?.certified).toBe(true);
    await honest.close();
  }, 60_000);

  it('the variant whose probe lies is caught by the backend kills: acknowledged log entries are gone and their sequences handed out again', async () => {
    const mutant = POSTGRES_MUTANTS.find((m) => m.name === 'postgres-async-commit-lying-probe')!;
    expect(mutant.crash).toMatchObject({ killBackend: true });
    const target = asyncCommitPostgresMutantTarget();
    try {
      const report = await runCrash({
        target,
        kinds: mutant.crash!.kinds,
        kills: mutant.crash!.kills!,
        killBackend: true,
        seed: 1,
      });
      expect(report.errors).toEqual([]);
      expect(report.verdict).toBe('fail');
      const log = report.results.find((r) => r.scenario === 'process-and-backend-kill/log')!;
      expect(log.status).toBe('fail');
      expect(log.violations[0]).toMatch(/^log \S+: acknowledged entry \d+ \{.*\} reads /);
    } finally {
      await target.server!.stop!();
    }
  }, 120_000);
});
