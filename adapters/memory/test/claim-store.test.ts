import { describe, expect, it } from 'vitest';
import { binding, setup } from './binding.js';

async function claims() {
  const { adapter, clock, backend } = setup();
  return { store: await adapter.openClaim(binding('claim')), clock, backend };
}

describe('memory claim store', () => {
  it('gives one holder at a time and strictly increasing fencing tokens', async () => {
    const { store } = await claims();
    const a = await store.acquire('k', 'alice', 100);
    expect(a).toMatchObject({ status: 'acquired', token: 1, takeover: false });
    expect(await store.acquire('k', 'bob', 100)).toMatchObject({ status: 'held', holder: 'alice' });
    expect(await store.acquire('k', 'alice', 100)).toMatchObject({ status: 'held', holder: 'alice' });
    await store.release('k', 1);
    const b = await store.acquire('k', 'bob', 100);
    expect(b).toMatchObject({ status: 'acquired', token: 2, takeover: false });
    expect((await store.get('k'))?.takeovers).toBe(0);
  });

  it('takes over only an expired lease, and counts it', async () => {
    const { store, clock } = await claims();
    await store.acquire('k', 'alice', 100);
    clock.advance(99);
    expect((await store.acquire('k', 'bob', 100)).status).toBe('held');
    clock.advance(1);
    expect(await store.acquire('k', 'bob', 100)).toMatchObject({ status: 'acquired', token: 2, takeover: true });
    expect(await store.get('k')).toMatchObject({ holder: 'bob', takeovers: 1 });
  });

  it('lets a stale or expired token do nothing', async () => {
    const { store, clock } = await claims();
    await store.acquire('k', 'alice', 100);
    clock.advance(100);
    await expect(store.renew('k', 1, 100)).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await expect(store.complete('k', 1, 'r')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    await store.acquire('k', 'bob', 100);
    for (const op of [
      () => store.renew('k', 1, 100),
      () => store.complete('k', 1, 'r'),
      () => store.release('k', 1),
      () => store.abandon('k', 1, 'x'),
    ]) {
      await expect(op()).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    }
    expect(await store.get('k')).toMatchObject({ state: 'held', holder: 'bob', token: 2 });
    await expect(store.renew('never', 1, 100)).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
  });

  it('renews, then completes for good with ordered timestamps', async () => {
    const { store, clock } = await claims();
    await store.acquire('k', 'alice', 100);
    clock.advance(80);
    const { expiresAt } = await store.renew('k', 1, 100);
    expect(expiresAt).toBe(clock.now() + 100);
    clock.advance(80);
    await store.complete('k', 1, 'result');
    clock.advance(1000);
    expect(await store.acquire('k', 'bob', 100)).toMatchObject({
      status: 'completed',
      result: 'result',
      holder: 'alice',
    });
    const c = await store.get('k');
    expect(c).toMatchObject({ state: 'completed', holder: 'alice', result: 'result', token: 1, takeovers: 0 });
    expect(c!.acquiredAt! <= c!.renewedAt! && c!.renewedAt! <= c!.completedAt!).toBe(true);
    await expect(store.complete('k', 1, 'again')).rejects.toMatchObject({ code: 'STATEPROOF_LEASE_LOST' });
    expect((await store.get('k'))?.result).toBe('result');
  });

  it('abandons for good', async () => {
    const { store } = await claims();
    await store.acquire('k', 'alice', 100);
    await store.abandon('k', 1, 'card declined');
    expect(await store.acquire('k', 'bob', 100)).toMatchObject({
      status: 'abandoned',
      reason: 'card declined',
      holder: 'alice',
    });
  });

  it('shares claims between adapters on one backend', async () => {
    const { store, backend } = await claims();
    const other = await setup({ backend }).adapter.openClaim(binding('claim'));
    await store.acquire('k', 'alice', 100);
    expect(await other.acquire('k', 'bob', 100)).toMatchObject({ status: 'held', holder: 'alice' });
  });
});
