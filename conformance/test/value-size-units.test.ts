import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRegistry,
  ManualClock,
  openRuntime,
  record,
  ValueTooLargeError,
  type RecordSurface,
} from '@stateproof/core';
import { memoryTarget } from '@stateproof/adapter-memory/conformance';
import { ALL_PROPERTIES, runConformance } from '@stateproof/conformance';

// The value size limit is core's (the codec counts the encoded value before any adapter sees it), so
// the bug is planted in core: a fixture that counts the JSON's length in UTF-16 code units instead of
// its UTF-8 bytes. Every kind's limits property must catch it, through a value just over the limit
// in multi-byte and astral characters; without the fixture they all pass.
const TOO_LARGE = {
  record: 'REC-025',
  log: 'LOG-024',
  claim: 'CLM-014',
  queue: 'QUE-030',
  dataspace: 'DSP-019',
  channel: 'CHN-010',
} as const;
const SEED = 20261203;

interface CodecLike {
  readonly o: { readonly maxValueBytes: number; readonly envelope: { readonly surface: string } };
  encode(value: unknown): string;
}

/** A surface's value codec, taken from a handle (ValueCodec is internal to core). */
async function someCodec(): Promise<CodecLike> {
  const registry = createRegistry();
  const surface = record('fixture.codec', { durability: 'ephemeral', value: Type.Unknown(), registry });
  const adapter = await memoryTarget().create({ namespace: 'fixture-codec', clock: new ManualClock() });
  const rt = await openRuntime({ adapter, app: 'fixture', deployment: 'd', registry, surfaces: [surface] });
  try {
    const handle = rt.use(surface as RecordSurface<unknown>) as unknown as { ctx: { codecs: { value: CodecLike } } };
    return handle.ctx.codecs.value;
  } finally {
    await rt.close();
  }
}

/** Makes every codec count the encoded value in UTF-16 code units; returns the undo. */
async function countInUtf16Units(): Promise<() => void> {
  const proto = Object.getPrototypeOf(await someCodec()) as CodecLike;
  const real = Object.getOwnPropertyDescriptor(proto, 'encode')?.value as CodecLike['encode'];
  proto.encode = function (this: CodecLike, value: unknown): string {
    // The real encoding with the limit lifted, then the planted check on the string's length.
    const lifted = Object.assign(Object.create(proto) as CodecLike, this, {
      o: { ...this.o, maxValueBytes: Number.MAX_SAFE_INTEGER },
    });
    const encoded = real.call(lifted, value);
    const units = encoded.length - encoded.indexOf('\n') - 1;
    if (units > this.o.maxValueBytes)
      throw new ValueTooLargeError(units, this.o.maxValueBytes, this.o.envelope.surface);
    return encoded;
  };
  return () => void (proto.encode = real);
}

const limits = (kind: keyof typeof TOO_LARGE) => ALL_PROPERTIES.filter((p) => p.name === `${kind}/limits`);

describe('a value size counted in UTF-16 code units (core-level fixture)', () => {
  let undo: (() => void) | undefined;
  afterEach(() => {
    undo?.();
    undo = undefined;
  });

  it('is a real bug: the fixture accepts 257 bytes of astral characters under a 256-byte limit', async () => {
    undo = await countInUtf16Units();
    const registry = createRegistry();
    const surface = record('fixture.small', {
      durability: 'ephemeral',
      value: Type.Unknown(),
      maxValueBytes: 256,
      registry,
    }) as RecordSurface<unknown>;
    const adapter = await memoryTarget().create({ namespace: 'fixture-small', clock: new ManualClock() });
    const rt = await openRuntime({ adapter, app: 'fixture', deployment: 'd', registry, surfaces: [surface] });
    try {
      // {"n":1,"s":""} is 14 bytes; 60 astral characters add 240, é adds 2 and x 1: 257 bytes, 137 units.
      const value = { n: 1, s: `${'😀'.repeat(60)}éx` };
      expect(Buffer.byteLength(JSON.stringify(value), 'utf8')).toBe(257);
      await expect(rt.use(surface).put('k', value)).resolves.toMatchObject({ version: expect.any(Number) });
    } finally {
      await rt.close();
    }
  });

  it.each(Object.keys(TOO_LARGE) as Array<keyof typeof TOO_LARGE>)(
    'fails %s/limits, naming its size requirement',
    async (kind) => {
      undo = await countInUtf16Units();
      const report = await runConformance({
        target: memoryTarget(),
        kinds: [kind],
        properties: limits(kind),
        runs: 30,
        seed: SEED,
        shrinkTimeMs: 2_000,
      });
      const failed = report.outcomes.filter((o) => o.status === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      for (const o of failed) {
        expect(o.failedRequirements).toContain(TOO_LARGE[kind]);
        expect(o.reason).toMatch(/UTF-8 bytes \(\d+ UTF-16 units\) against a limit of 256 bytes/);
      }
    },
  );
});

it('the real codec passes every kind limits property', async () => {
  const report = await runConformance({
    target: memoryTarget(),
    properties: ALL_PROPERTIES.filter((p) => p.name.endsWith('/limits')),
    // The kind's properties; a telemetry log (which memory also claims) is checked by its class's own.
    classes: ['ephemeral'],
    runs: 30,
    seed: SEED,
  });
  const kinds = Object.keys(TOO_LARGE);
  expect(report.outcomes.filter((o) => o.status !== 'pass').map((o) => `${o.name}: ${o.reason}`)).toEqual([]);
  expect(new Set(report.outcomes.map((o) => o.name.split('/')[0]))).toEqual(new Set(kinds));
});
