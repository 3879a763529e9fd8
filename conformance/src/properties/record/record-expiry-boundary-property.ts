import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { record, type RecordHandle, type RecordSurface } from '@stateproof/core';
import { expectModel, show } from '../../models/model-mismatch.js';
import { describeOutcome, outcome } from '../../models/outcome.js';
import { utf8Compare } from '../../models/utf8-order.js';
import type { PropertySpec } from '../../environment/property-spec.js';
import type { TimeControl } from '../../environment/time-control.js';

/** What a probe does to its record at its instant. */
type ProbeOp = 'get' | 'ifAbsent' | 'ifVersion' | 'delete' | 'deleteIfVersion';

/** One record written with a TTL, probed once at its expiry instant plus `offset` (-1, 0 or +1 ms). */
interface Probe {
  readonly ttlMs: number;
  readonly op: ProbeOp;
  readonly offset: -1 | 0 | 1;
}

/** What the property knows of one key: its version and expiry, or that it is gone. */
interface Known {
  version: number;
  expiresAt: number | null;
  deleted: boolean;
}

const probeArb: fc.Arbitrary<Probe> = fc.record({
  ttlMs: fc.integer({ min: 2, max: 40 }),
  op: fc.constantFrom<ProbeOp>('get', 'ifAbsent', 'ifVersion', 'delete', 'deleteIfVersion'),
  offset: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
});

/** Live at `now`: written, not deleted, and now < expiresAt (the instant itself is already expired). */
function liveAt(k: Known, now: number): boolean {
  return !k.deleted && (k.expiresAt === null || now < k.expiresAt);
}

/** Where the clock stands relative to an expiry, for messages. */
function relative(now: number, expiresAt: number): string {
  const d = now - expiresAt;
  return d === 0 ? 'at exactly expiresAt' : `at expiresAt ${d > 0 ? '+' : '-'} ${Math.abs(d)} ms`;
}

/** Runs one probe at the current instant and checks it against the contract. */
async function runProbe(h: RecordHandle<number>, key: string, op: ProbeOp, k: Known, now: number): Promise<void> {
  const expiresAt = k.expiresAt as number;
  const live = now < expiresAt;
  const where = `${op} of ${show(key)} ${relative(now, expiresAt)} (expiresAt ${expiresAt}, live while now < expiresAt)`;
  switch (op) {
    case 'get': {
      const got = await outcome(() => h.get(key));
      expectModel(got.ok, ['REC-001'], () => `${where} failed with ${describeOutcome(got)}`);
      expectModel(
        live ? got.value?.version === k.version : got.value === null,
        live ? ['REC-001', 'REC-018'] : ['REC-018'],
        () => `${where} returned ${show(got.value)}, expected ${live ? `version ${k.version}` : 'null'}`,
      );
      return;
    }
    case 'ifAbsent': {
      const put = await outcome(() => h.put(key, -1, { ifAbsent: true }));
      if (live) {
        expectModel(
          !put.ok && put.code === 'STATEPROOF_VERSION_CONFLICT',
          ['REC-007', 'REC-018'],
          () => `${where}: the record is live, so ifAbsent must conflict; got ${describeOutcome(put)}`,
        );
        const current = (put.error as { current?: unknown }).current;
        expectModel(current === k.version, ['REC-008'], () => `${where}: the conflict carries ${show(current)}`);
        return;
      }
      expectModel(
        put.ok && put.value.version > k.version && put.value.expiresAt === null,
        ['REC-007', 'REC-018'],
        () => `${where}: an expired record counts as absent, so ifAbsent must write; got ${describeOutcome(put)}`,
      );
      Object.assign(k, { version: put.value.version, expiresAt: null });
      return;
    }
    case 'ifVersion': {
      const put = await outcome(() => h.put(key, -2, { ifVersion: k.version }));
      if (live) {
        expectModel(
          put.ok && put.value.version > k.version,
          ['REC-006', 'REC-018'],
          () =>
            `${where}: the record is live at version ${k.version}, so ifVersion must write; got ${describeOutcome(put)}`,
        );
        Object.assign(k, { version: put.value.version, expiresAt: null });
        return;
      }
      expectModel(
        !put.ok && put.code === 'STATEPROOF_VERSION_CONFLICT',
        ['REC-018', 'REC-006'],
        () =>
          `${where}: an expired record has no current version, so ifVersion must conflict; got ${describeOutcome(put)}`,
      );
      const current = (put.error as { current?: unknown }).current;
      expectModel(current === null, ['REC-018', 'REC-008'], () => `${where}: the conflict carries ${show(current)}`);
      return;
    }
    case 'delete': {
      const gone = await outcome(() => h.delete(key));
      expectModel(
        gone.ok && gone.value === live,
        ['REC-018', 'REC-011'],
        () => `${where} returned ${describeOutcome(gone)}, expected ${live}`,
      );
      k.deleted = true;
      return;
    }
    case 'deleteIfVersion': {
      const gone = await outcome(() => h.delete(key, { ifVersion: k.version }));
      if (live) {
        expectModel(
          gone.ok && gone.value === true,
          ['REC-018', 'REC-012'],
          () => `${where} returned ${describeOutcome(gone)}, expected true`,
        );
      } else {
        expectModel(
          !gone.ok && gone.code === 'STATEPROOF_VERSION_CONFLICT',
          ['REC-018', 'REC-012'],
          () =>
            `${where}: an expired record has no current version, so the delete must conflict; got ${describeOutcome(gone)}`,
        );
        const current = (gone.error as { current?: unknown }).current;
        expectModel(current === null, ['REC-018', 'REC-008'], () => `${where}: the conflict carries ${show(current)}`);
      }
      k.deleted = true;
      return;
    }
  }
}

/** A full paged walk of every key, checked against what is live now. */
async function checkList(h: RecordHandle<number>, known: ReadonlyMap<string, Known>, now: number): Promise<void> {
  const keys: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const r = await h.list({ prefix: '', limit: 3, cursor });
    keys.push(...r.items.map((i) => i.key));
    cursor = r.cursor;
    if (cursor === null) break;
  }
  const want = [...known].filter(([, k]) => liveAt(k, now)).map(([key]) => key);
  want.sort(utf8Compare);
  const zombies = keys.filter((key) => {
    const k = known.get(key);
    return k !== undefined && !k.deleted && k.expiresAt !== null && now >= k.expiresAt;
  });
  expectModel(
    zombies.length === 0,
    ['REC-018'],
    () =>
      `list at ${now} returned expired records: ${zombies.map((z) => `${show(z)} ${relative(now, known.get(z)?.expiresAt as number)}`).join(', ')}`,
  );
  expectModel(
    show(keys) === show(want),
    ['REC-018', 'REC-013'],
    () => `list at ${now} returned ${show(keys)}, expected the live keys ${show(want)}`,
  );
}

/** Moves the clock forward to exactly `at`. */
async function moveTo(time: TimeControl, at: number): Promise<void> {
  const ms = at - time.now();
  if (ms > 0) await time.advance(ms);
}

/**
 * The expiry instant exactly (REC-007, REC-018): records written with TTLs are probed with the clock
 * at exactly expiresAt - 1, expiresAt and expiresAt + 1 by get, put ifAbsent, put ifVersion, delete
 * (with and without ifVersion) and a paged list. A record is live while now < expiresAt: one ms
 * before it every operation sees the record, at the instant itself none does. Exact time, so a
 * server-clock adapter runs it on the suite's clock injected into its real statements.
 */
export const recordExpiryBoundaryProperty: PropertySpec = {
  name: 'record/expiry-boundary',
  kind: 'record',
  requirements: ['REC-006', 'REC-007', 'REC-008', 'REC-011', 'REC-012', 'REC-013', 'REC-018'],
  features: ['ttl'],
  exactTime: true,
  weight: 0.5,
  property: (env) => {
    const withList = env.capabilities.kinds.record?.features.list === true;
    return fc.asyncProperty(fc.array(probeArb, { minLength: 1, maxLength: 8 }), async (probes) => {
      const fixture = await env.fixtures.open((registry) => [
        record('conformance.record-expiry-boundary', {
          durability: env.cls,
          value: Type.Integer(),
          registry,
        }) as RecordSurface<number>,
      ]);
      try {
        const h = fixture.rt.use(fixture.surfaces[0]);
        const known = new Map<string, Known>();
        const t0 = fixture.time.now();
        for (const [i, p] of probes.entries()) {
          const key = `r${i}`;
          const w = await h.put(key, i, { ttlMs: p.ttlMs });
          expectModel(
            w.expiresAt === t0 + p.ttlMs,
            ['REC-019'],
            () => `put(${show(key)}, ttl ${p.ttlMs}) at ${t0} reports expiresAt ${w.expiresAt}`,
          );
          known.set(key, { version: w.version, expiresAt: w.expiresAt, deleted: false });
        }
        // Each probe at its own instant, in time order (the clock never goes back); a list at every instant.
        const schedule = probes
          .map((p, i) => ({ key: `r${i}`, op: p.op, at: t0 + p.ttlMs + p.offset }))
          .sort((a, b) => a.at - b.at);
        for (const [i, step] of schedule.entries()) {
          await moveTo(fixture.time, step.at);
          const k = known.get(step.key) as Known;
          // The probe's own record is untouched until its instant: its expiry is the one written.
          await runProbe(h, step.key, step.op, k, step.at);
          if (withList && schedule[i + 1]?.at !== step.at) await checkList(h, known, step.at);
        }
      } finally {
        await fixture.close();
      }
    });
  },
};
