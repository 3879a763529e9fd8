// A small third-party adapter: records only, kept in one JSON file per namespace, written
// atomically (temp file, fsync, rename) so that an acknowledged write survives a restart.
// It exists to show what `stateproof conform --adapter ./module.mjs` needs; see docs/conformance.md.
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { casConflict, casHolds, compareKeys } from '@stateproof/core/adapter-kit';

/** @typedef {{ value: string, version: number }} StoredRecord */
/** @typedef {{ records: Record<string, Record<string, StoredRecord>>, versions: Record<string, number> }} FileState */

/** The adapter's declaration: the record kind, restart-safe-local, listing but no TTL. */
const CAPABILITIES = {
  capabilitiesVersion: 1,
  adapter: { name: 'json-file', version: '1.0.0' },
  backend: 'json-file',
  clock: 'injectable',
  kinds: { record: { classes: ['ephemeral', 'restart-safe-local'], features: { list: true, ttl: false } } },
};

/** Reads the namespace's file (an absent file is an empty state). */
function load(file) {
  try {
    return /** @type {FileState} */ (JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    if (error.code === 'ENOENT') return { records: {}, versions: {} };
    throw error;
  }
}

/**
 * Runs `fn` holding an exclusive lock file, so that processes sharing the file never lose each
 * other's updates. A lock left by a killed process (its pid is gone) is broken.
 */
function withLock(file, fn) {
  const lock = `${file}.lock`;
  for (let spins = 0; ; spins++) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = NaN;
      let age = 0;
      try {
        holder = Number(readFileSync(lock, 'utf8'));
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {}
      // A holder that is gone, or one killed between creating the lock and writing its pid, left it stale.
      if ((holder > 0 && !alive(holder)) || (!(holder > 0) && age > 5000)) breakStale(lock, holder, spins);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(10, 1 + spins));
    }
  }
  try {
    return fn();
  } finally {
    unlinkSync(lock);
  }
}

/**
 * Breaks a stale lock without racing another breaker: the lock is moved aside atomically, and if
 * what was moved is no longer the stale one (another process broke it and took a fresh lock in
 * between), it is put back.
 */
function breakStale(lock, holder, spins) {
  const aside = `${lock}.${process.pid}.${spins}`;
  try {
    renameSync(lock, aside);
  } catch {
    return;
  }
  let moved = NaN;
  let age = 0;
  try {
    moved = Number(readFileSync(aside, 'utf8'));
    age = Date.now() - statSync(aside).mtimeMs;
  } catch {}
  const stale = moved > 0 ? moved === holder && !alive(moved) : age > 5000;
  try {
    if (!stale) linkSync(aside, lock);
  } catch {}
  try {
    unlinkSync(aside);
  } catch {}
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Replaces the file atomically and durably: write a temp file, fsync it, rename it over, fsync the directory. */
function save(file, dir, state) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  const fd = openSync(tmp, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
  const d = openSync(dir, 'r');
  fsyncSync(d);
  closeSync(d);
}

/**
 * One record surface in the file; `space` is the scoped keyspace core built for it. Core's guard
 * stands in front of it: after close, and for a TTL (not claimed), calls never reach it.
 */
class JsonFileRecordStore {
  constructor(file, dir, space) {
    Object.assign(this, { file, dir, space });
  }

  /** Runs `fn` on the current state; saves it when `fn` says it changed something. */
  transact(fn) {
    return withLock(this.file, () => {
      const state = load(this.file);
      const records = (state.records[this.space] ??= {});
      const { result, changed } = fn(records, state);
      if (changed) save(this.file, this.dir, state);
      return result;
    });
  }

  async get(key) {
    return this.transact((records) => {
      const r = records[key];
      return { result: r ? { key, value: r.value, version: r.version, expiresAt: null } : null, changed: false };
    });
  }

  async put(key, value, options = {}) {
    return this.transact((records, state) => {
      // The compare-and-set rule and its error are core's, the same for every adapter.
      const current = records[key]?.version ?? null;
      if (!casHolds(current, options)) throw casConflict(key, options, current);
      // Versions come from a counter in the file, per surface, so they are never reused: not after a delete, not after a restart.
      const version = (state.versions[this.space] ?? 0) + 1;
      state.versions[this.space] = version;
      records[key] = { value, version };
      return { result: { version, expiresAt: null }, changed: true };
    });
  }

  async delete(key, options = {}) {
    return this.transact((records) => {
      const current = records[key]?.version ?? null;
      if (options.ifVersion !== undefined && !casHolds(current, options)) throw casConflict(key, options, current);
      if (current === null) return { result: false, changed: false };
      delete records[key];
      return { result: true, changed: true };
    });
  }

  async list({ prefix, after, limit }) {
    return this.transact((records) => {
      const keys = Object.keys(records)
        .filter((k) => k.startsWith(prefix) && (after === undefined || compareKeys(k, after) > 0))
        .sort(compareKeys);
      const entries = keys
        .slice(0, limit)
        .map((key) => ({ key, value: records[key].value, version: records[key].version, expiresAt: null }));
      return { result: { entries, more: keys.length > limit }, changed: false };
    });
  }
}

/** Creates the adapter over `dir`; `namespace` picks the file. */
export function jsonFileAdapter({ dir, namespace, clock }) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${encodeURIComponent(namespace)}.json`);
  return {
    name: 'json-file',
    version: '1.0.0',
    namespace,
    capabilities: CAPABILITIES,
    clock,
    async probe() {
      const durable = ['atomic replace with fsync of the file and its directory survives a process kill'];
      return {
        probeVersion: 1,
        adapter: { name: 'json-file', version: '1.0.0' },
        backend: { name: 'json-file' },
        at: new Date(clock.now()).toISOString(),
        settings: { dir, fsync: true },
        classes: [
          { class: 'ephemeral', certified: true, reasons: ['any store may hold ephemeral state'] },
          { class: 'restart-safe-local', certified: true, reasons: durable },
          { class: 'shared-durable', certified: false, reasons: ['a local file is not shared across hosts'] },
          { class: 'derived-projection', certified: false, reasons: ['not claimed'] },
          { class: 'telemetry', certified: false, reasons: ['not claimed'] },
        ],
      };
    },
    async openRecord(binding) {
      return new JsonFileRecordStore(file, dir, binding.space);
    },
    // Nothing stays open between calls (each one opens and closes the file), so there is nothing to release.
    async close() {},
  };
}
