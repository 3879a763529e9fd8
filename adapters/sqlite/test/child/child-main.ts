// A second process for the cross-process tests: opens the adapter on the file the parent names and
// plays one role, reporting each step as a JSON line on stdout. Run through ts-hooks.mjs.
import { createInterface } from 'node:readline';
import { sqliteAdapter, type SqliteAdapterOptions } from '@stateproof/adapter-sqlite';
import { binding } from '../support/binding.js';

interface Args {
  readonly role: 'queue-worker' | 'dataspace-owner' | 'dataspace-reaper' | 'channel-publisher' | 'log-writer' | 'open';
  readonly options: SqliteAdapterOptions;
  readonly name?: string;
  readonly ids?: string[];
  readonly leaseMs?: number;
  readonly count?: number;
  readonly workMs?: number;
}

const args = JSON.parse(process.argv[2] as string) as Args;
const say = (event: string, data: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);
const lines = createInterface({ input: process.stdin });
const waitFor = (word: string) =>
  new Promise<void>((resolve) => lines.on('line', (l) => l.trim() === word && resolve()));

async function main(): Promise<void> {
  if (args.role === 'open') {
    try {
      const a = sqliteAdapter(args.options);
      await a.close();
      say('opened');
    } catch (error) {
      const e = error as { code?: string; message: string; hint?: string };
      say('error', { code: e.code ?? null, message: e.message, hint: e.hint ?? null });
    }
    lines.close();
    return;
  }
  const adapter = sqliteAdapter(args.options);
  if (args.role === 'queue-worker') {
    const q = await adapter.openQueue(binding('queue', { leaseMs: 60_000 }));
    say('ready');
    await waitFor('go');
    const claimed: string[] = [];
    for (let i = 0; ; i++) {
      const tasks = await q.claim({ worker: args.name as string, queues: [], limit: 1 + (i % 3), leaseMs: 60_000 });
      if (tasks.length === 0) break;
      for (const t of tasks) {
        claimed.push(t.id);
        if (args.workMs) await new Promise((resolve) => setTimeout(resolve, args.workMs)); // the work itself
        await q.complete(t.id, t.token, JSON.stringify({ by: args.name }));
      }
    }
    say('done', { claimed });
  } else if (args.role === 'dataspace-owner') {
    const ds = await adapter.openDataspace(binding('dataspace'));
    const { session } = await ds.openSession(args.name as string, args.leaseMs as number);
    for (const id of args.ids ?? []) await ds.assert(session, id, JSON.stringify(id));
    say('ready', { session });
    setInterval(() => undefined, 60_000); // alive until killed; never heartbeats, never closes
    return;
  } else if (args.role === 'dataspace-reaper') {
    const ds = await adapter.openDataspace(binding('dataspace'));
    let retracted = 0;
    let expired = 0;
    while (retracted < (args.count as number)) {
      const r = await ds.reap();
      retracted += r.retracted;
      expired += r.expired;
      if (retracted < (args.count as number)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { session } = await ds.openSession(args.name as string, 60_000);
    const free = await Promise.all(
      (args.ids ?? []).map(async (id) => (await ds.assert(session, id, '"mine"')).revision),
    );
    say('reaped', { retracted, expired, free: free.length });
  } else if (args.role === 'channel-publisher') {
    const ch = await adapter.openChannel(binding('channel'));
    say('ready', { publisher: ch.publisherId });
    await waitFor('go');
    for (let i = 0; i < (args.count as number); i++) await ch.publish(i % 2 === 0 ? 'even' : 'odd', JSON.stringify(i));
    say('published');
  } else if (args.role === 'log-writer') {
    const log = await adapter.openLog(binding('log'));
    say('ready');
    for (let i = 0; ; i++) {
      const [seq] = await log.append('s', [JSON.stringify(i)]);
      say('acked', { seq, value: i });
    }
  }
  await adapter.close();
  lines.close();
}

main().catch((error: unknown) => {
  say('crashed', { message: (error as Error).message, code: (error as { code?: string }).code ?? null });
  process.exitCode = 1;
  lines.close();
});
