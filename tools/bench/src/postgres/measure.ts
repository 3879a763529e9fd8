import { loadavg } from 'node:os';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The one-minute load average, to print next to figures measured on a shared machine. */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** `rounds` orders of `sides`, each rotated by one from the last, so that no side always runs first. */
export function rotations<T>(sides: readonly T[], rounds: number): T[][] {
  return Array.from({ length: rounds }, (_, r) => sides.map((_, i) => sides[(i + r) % sides.length] as T));
}

/** Runs `op(i)` for i in [0, n) on `concurrency` loops, each awaiting its call before the next; returns ms. */
export async function concurrently(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await op(i);
    }),
  );
  return performance.now() - t0;
}

/** Whitespace collapsed, for comparing SQL text. */
export function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** A rate in operations per second, rounded for display. */
export function perSecond(operations: number, ms: number): number {
  return operations / (ms / 1000);
}

/**
 * Runs `fn` while counting the statements every pg client of this process sends, except those
 * `ignore` matches. Pass each copy of pg's Client in the process: the workspace's (stateproof's
 * pool, graphile-worker on the pool it is given) and the peers' own (pg-boss's).
 */
export async function countStatements(
  pgClients: ReadonlyArray<{ prototype: object }>,
  fn: () => Promise<void>,
  ignore: (sql: string) => boolean = () => false,
): Promise<number> {
  let n = 0;
  const restore: Array<() => void> = [];
  for (const proto of new Set(pgClients.map((c) => c.prototype as { query: (...args: unknown[]) => unknown }))) {
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text =
        typeof first === 'string'
          ? first
          : typeof first === 'object' && first !== null
            ? String((first as { text?: unknown }).text ?? '')
            : '';
      if (!ignore(text)) n++;
      return original.apply(this, args);
    };
    restore.push(() => (proto.query = original));
  }
  try {
    await fn();
  } finally {
    for (const r of restore) r();
  }
  return n;
}
