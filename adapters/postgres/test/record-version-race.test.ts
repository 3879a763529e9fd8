import { afterAll, describe, expect, it } from 'vitest';
import { quoteIdentifier } from '@stateproof/adapter-postgres';
import { binding, PG_AVAILABLE, TestSchemas, withAdmin } from './pg-test-server.js';

const schemas = new TestSchemas();
afterAll(() => schemas.cleanup());

/** The advisory lock the test holds to stop one write between forming its row and inserting it. */
const GATE = 770_001;

/**
 * A version is taken when a write's row is formed. If the write then waits on a row that another
 * session updates to a higher version and deletes, the waiting insert must not go ahead with its
 * older number (REC-004, REC-005: versions strictly increase per key, never reused). A BEFORE INSERT
 * trigger, installed by this test only, holds the one write marked `blocked` at exactly that point:
 * after its row (and its version) is formed, before its conflict check.
 */
describe.skipIf(!PG_AVAILABLE)('postgres record versions under a delete and re-create race', () => {
  it('never acknowledges a version below one the key already had', async () => {
    const a = await schemas.open();
    const b = await schemas.open({ namespace: a.namespace });
    const s = quoteIdentifier(a.namespace);
    const storeA = await a.openRecord(binding('record'));
    const storeB = await b.openRecord(binding('record'));
    await storeB.put('k', 'first');
    await withAdmin((c) =>
      c.query(`
        create function ${s}.hold_blocked() returns trigger language plpgsql as $$
        begin
          if new.value = 'blocked' then perform pg_advisory_lock_shared(${GATE}); perform pg_advisory_unlock_shared(${GATE}); end if;
          return new;
        end $$;
        create trigger hold_blocked before insert on ${s}.records for each row execute function ${s}.hold_blocked();`),
    );
    const order: string[] = [];
    const acknowledged: Array<{ who: string; version: number }> = [];
    await withAdmin(async (holder) => {
      await holder.query('select pg_advisory_lock($1)', [GATE]);
      // A: put-if-absent of the key, stopped after its row was formed.
      const first = storeA.put('k', 'blocked', { ifAbsent: true }).then(
        (r) => void acknowledged.push({ who: 'A', version: r.version }),
        (e: { code?: string }) => void order.push(`A ${e.code}`),
      );
      await waitFor(
        async () =>
          (
            await holder.query(
              `select count(*)::integer as n from pg_locks where locktype = 'advisory' and objid = $1 and not granted`,
              [GATE],
            )
          ).rows[0].n > 0,
      );
      // B: a write that takes a higher version, then a delete; both may complete while A waits, or wait for A.
      const second = (async () => {
        const r = await storeB.put('k', 'second');
        acknowledged.push({ who: 'B', version: r.version });
        await storeB.delete('k');
        order.push('B deleted');
      })();
      await Promise.race([second, new Promise((r) => setTimeout(r, 500))]);
      await holder.query('select pg_advisory_unlock($1)', [GATE]);
      await Promise.all([first, second]);
    });
    // Versions of acknowledged writes, in the order they were acknowledged, strictly increase.
    const versions = acknowledged.map((x) => x.version);
    expect(versions, JSON.stringify({ acknowledged, order })).toEqual([...versions].sort((x, y) => x - y));
    const now = await storeB.get('k');
    if (now !== null) expect(now.version).toBe(Math.max(...versions));
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out waiting for the blocked write');
}
