import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Appends of 100 bytes, each followed by fsync, in `dir` for `ms`: the rate at which the disk
 * makes a write durable, which bounds a durable server's round trips that each wait for one.
 */
export function fsyncRate(dir: string, ms: number): number {
  const path = join(dir, 'fsync-probe');
  const fd = openSync(path, 'a');
  const chunk = Buffer.alloc(100, 120);
  let n = 0;
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < ms) {
      writeSync(fd, chunk);
      fsyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return n / ((performance.now() - t0) / 1000);
}
