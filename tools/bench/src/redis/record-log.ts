import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openRuntime, type Runtime } from '@stateproof/core';
import { LOG_APPEND, openRedisAdapter, RECORD_GET, RECORD_PUT, type RedisAdapter } from '@stateproof/adapter-redis';
import type { BenchRow } from '../benchmark.js';
import { compareSideBySide, type SideBySideWorkload } from '../compare/side-by-side.js';
import { BENCH_SURFACES, benchEvents, benchOrders, benchRegistry, order, type Order } from '../postgres/surfaces.js';
import { captureScripts, findScript } from './script-capture.js';

/** Settings of the record and log comparison on one server. */
export interface RedisRecordLogSettings {
  /** The benchmark's own server. */
  readonly url: string;
  /** The adapter's namespace (its keys are deleted by the caller). */
  readonly namespace: string;
  /** Concurrent callers on each side (each side has one connection, as the adapter has). */
  readonly callers: number;
  /** Operations per side per round, for each of put, get and append. */
  readonly operations: number;
  /** Timed rounds (each side once per round, in rotating order). */
  readonly rounds: number;
  /** Untimed operations per side before the first round. */
  readonly warmup: number;
  /** Prefix of the row labels and ratio keys (the configuration's name). */
  readonly label: string;
  readonly progress: (line: string) => void;
}

/** Distinct keys the puts cycle through (the gets read the same ones). */
const KEYS = 1000;
/** Log streams the appends spread over. */
const STREAMS = 8;

const key = (i: number) => `order-${i % KEYS}`;
const stream = (i: number) => `stream-${i % STREAMS}`;

/** The adapter's wake-up payload of a stream (redis-log-store.ts): the raw side computes it per call too. */
const streamDigest = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 12);

/** One operation under test, as each side does it. */
type Workload = SideBySideWorkload;

/**
 * Record put, record get and log append through the public runtime (openRedisAdapter +
 * openRuntime, typed handles) against an application on a bare ioredis client running the
 * adapter's own Lua scripts (RECORD_PUT, RECORD_GET, LOG_APPEND, loaded with SCRIPT LOAD) with
 * EVALSHA. The raw side sends the keys and arguments the adapter sends, captured from one call of
 * each at startup and checked: the same script, the same key layout, a fresh operation-reply key per
 * write (as the adapter makes one), the same value bytes (envelope line included), the same stream
 * digest computed per call. Besides the script it does what an application would: JSON.stringify on
 * write, JSON.parse on read, a look at the reply. One connection and the same number of concurrent
 * callers on each side.
 */
export async function redisRecordLogComparison(
  o: RedisRecordLogSettings,
): Promise<{ rows: BenchRow[]; ratios: Record<string, number>; warnings: string[] }> {
  const warnings: string[] = [];
  let adapter: RedisAdapter | undefined;
  let rt: Runtime | undefined;
  const raw = new Redis(o.url);
  raw.on('error', () => undefined);
  try {
    adapter = await openRedisAdapter({ url: o.url, namespace: o.namespace });
    rt = await openRuntime({
      adapter,
      app: 'bench',
      deployment: 'bench',
      surfaces: BENCH_SURFACES,
      registry: benchRegistry,
      mode: 'warn',
      logger: { warn: (m: string) => warnings.push(m) },
    });
    const records = rt.use(benchOrders);
    const events = rt.use(benchEvents);

    // What the adapter sends for one put, get and append.
    await records.put(key(0), order(0)); // the first write of a key may differ; capture a plain update
    const seen = await captureScripts(async () => {
      await records.put(key(0), order(0));
      await records.get(key(0));
      await events.append(stream(0), order(0));
    });
    const put = findScript(seen, RECORD_PUT, 'record put');
    const get = findScript(seen, RECORD_GET, 'record get');
    const append = findScript(seen, LOG_APPEND, 'log append');

    // Put: KEYS reply key, hash, index, expiring, versions; ARGV reply ttl, clock, key, value, mode,
    // expected version, ttl, record prefix, server expiry.
    const [opKey, hash0, index, expiring, versions] = put.keys as [string, string, string, string, string];
    const [replyTtl, clock, , stored, mode, ifVersion, ttl, recordPrefix, serverExpiry] = put.args as string[];
    const check = (ok: boolean, what: string) => {
      if (!ok) throw new Error(`redis bench: ${what}; update tools/bench/src/redis/record-log.ts`);
    };
    check(put.keys.length === 5 && put.args.length === 9, 'the record put script takes other keys or arguments');
    check(hash0 === `${recordPrefix}${key(0)}` && put.args[2] === key(0), 'the record key layout changed');
    check(mode === 'any' && ifVersion === '' && ttl === '' && clock === '', 'an unconditional put sends other flags');
    const header = (stored as string).slice(0, (stored as string).indexOf('\n'));
    const encode = (value: Order) => `${header}\n${JSON.stringify(value)}`;
    check(encode(order(0)) === stored, 'the adapter stores values other than `<envelope>\\n<JSON>`');
    check(get.keys.length === 1 && get.keys[0] === hash0 && get.args.join() === '', 'the record get script changed');
    // Append: KEYS reply key, meta, entries; ARGV reply ttl, clock, max entries, max age, wake channel, digest, values.
    check(append.keys.length === 3 && append.args.length === 7, 'the log append script takes other keys or arguments');
    const [, meta0, entries0] = append.keys as [string, string, string];
    const [, , maxEntries, maxAge, wake, digest0, value0] = append.args as string[];
    check(meta0.endsWith(stream(0)) && entries0.endsWith(stream(0)), 'the log key layout changed');
    const logHeader = (value0 as string).slice(0, (value0 as string).indexOf('\n'));
    const encodeEntry = (value: Order) => `${logHeader}\n${JSON.stringify(value)}`;
    check(digest0 === streamDigest(stream(0)) && value0 === encodeEntry(order(0)), 'the log append arguments changed');
    const metaPrefix = meta0.slice(0, -stream(0).length);
    const entriesPrefix = entries0.slice(0, -stream(0).length);
    // A fresh reply key per write, in the adapter's shape (`<tag>:op:<random>:<counter>`), random part our own.
    const opHead = opKey.slice(0, opKey.indexOf(':op:') + 4);
    check(opHead.length > 4, 'the operation reply key changed');
    const opPrefix = `${opHead}${randomBytes(9).toString('base64url')}:`;
    let opCounter = 0;
    const nextOp = () => opPrefix + (++opCounter).toString(36);

    // An application loads its scripts once.
    for (const s of [RECORD_PUT, RECORD_GET, LOG_APPEND]) check((await raw.script('LOAD', s.lua)) === s.sha, 'SHA-1');

    const workloads: Workload[] = [
      {
        name: 'put',
        stateproof: (i) => records.put(key(i), order(i)),
        raw: async (i) => {
          const k = key(i);
          const r = (await raw.evalsha(
            RECORD_PUT.sha,
            5,
            nextOp(),
            recordPrefix + k,
            index,
            expiring,
            versions,
            replyTtl as string,
            '',
            k,
            encode(order(i)),
            'any',
            '',
            '',
            recordPrefix as string,
            serverExpiry as string,
          )) as [string, number];
          if (r[0] !== 'ok') throw new Error(`redis bench: raw put of ${k} answered ${r[0]}`);
          return Number(r[1]);
        },
      },
      {
        name: 'get',
        stateproof: async (i) => {
          if ((await records.get(key(i))) === null) throw new Error(`redis bench: ${key(i)} missing`);
        },
        raw: async (i) => {
          const r = (await raw.evalsha(RECORD_GET.sha, 1, recordPrefix + key(i), '')) as [string, number] | null;
          if (!r) throw new Error(`redis bench: ${key(i)} missing`);
          const value = r[0];
          return JSON.parse(value.slice(value.indexOf('\n') + 1)) as Order;
        },
      },
      {
        name: 'append',
        stateproof: (i) => events.append(stream(i), order(i)),
        raw: async (i) => {
          const s = stream(i);
          const r = (await raw.evalsha(
            LOG_APPEND.sha,
            3,
            nextOp(),
            metaPrefix + s,
            entriesPrefix + s,
            replyTtl as string,
            '',
            maxEntries as string,
            maxAge as string,
            wake as string,
            streamDigest(s),
            encodeEntry(order(i)),
          )) as [number, number];
          return Number(r[0]);
        },
      },
    ];

    const { rows, ratios } = await compareSideBySide(workloads, {
      operations: o.operations,
      rounds: o.rounds,
      callers: o.callers,
      warmup: o.warmup,
      keys: KEYS,
      connections: `${o.callers} callers on 1 connection`,
      label: (side, name) =>
        `${o.label}: ${side === 'stateproof' ? 'stateproof' : 'raw ioredis'} ${name === 'append' ? 'log' : 'record'} ${name}`,
      ratioKey: (name) => `${o.label}: stateproof/raw ioredis ${name}`,
      rawName: 'raw ioredis',
      progress: o.progress,
    });
    // Warnings say the same per surface; one line per code and reason is enough for the notes.
    const summary = [
      ...new Set(warnings.map((w) => w.replace(/ for \w+ surface "[^"]*"/, '').replace(/ \(fix:.*$/, ''))),
    ];
    return { rows, ratios, warnings: summary };
  } finally {
    await rt?.close().catch(() => undefined);
    await adapter?.close().catch(() => undefined);
    raw.disconnect();
  }
}
