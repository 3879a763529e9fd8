import type { DurabilityClass } from './durability-class.js';

/**
 * The faults a durability class is judged against (spec/contract/README.md, "Faults each class must
 * survive"):
 *
 * - `process-kill`: the application process that wrote is killed (SIGKILL) after the write was acknowledged;
 * - `backend-kill`: the backend's own process is killed (a Postgres or Redis server; for an embedded
 *   database such as SQLite the backend runs in the application process, so it is the same fault);
 * - `os-crash`: the operating system of the backend's host crashes or loses power.
 */
export const FAULTS = ['process-kill', 'backend-kill', 'os-crash'] as const;

/** A fault a class is judged against. */
export type Fault = (typeof FAULTS)[number];

/** One line per fault, for reports. */
export const FAULT_TITLES: Readonly<Record<Fault, string>> = {
  'process-kill': 'a kill of the application process',
  'backend-kill': 'a kill of the backend process',
  'os-crash': 'an operating-system crash or power loss',
};

/**
 * What a class demands of a backend on one fault:
 * - `no-loss`: every acknowledged write survives it, and the store comes back whole;
 * - `intact`: the last acknowledged writes may be lost, but the store comes back whole (consistent,
 *   not corrupt), so that what was lost can be rebuilt from a source;
 * - `none`: nothing (the state may be lost).
 */
export type FaultDemand = 'no-loss' | 'intact' | 'none';

/**
 * What a backend, as configured, does on one fault (each probe maps the settings it reads to this):
 * - `no-loss`: every acknowledged write survives;
 * - `loses-recent`: the last acknowledged writes may be lost; the store stays consistent;
 * - `loses-all`: the store may be lost or corrupt (or keeps nothing at all).
 */
export type FaultOutcome = 'no-loss' | 'loses-recent' | 'loses-all';

/** A backend's outcome on every fault. */
export type FaultOutcomes = Readonly<Record<Fault, FaultOutcome>>;

/**
 * The one rule every probe follows: which faults each class must survive, and how.
 *
 * - ephemeral: nothing; the state may be lost at any time.
 * - restart-safe-local: one host, no loss after acknowledgement. A restart of the process, of a
 *   local backend, or of the host itself (an OS crash or power loss followed by a reboot) is a
 *   restart, so an acknowledged write survives all three. What it does not give is sharing across
 *   replicas on other hosts.
 * - shared-durable: all three, and the state is shared by every replica.
 * - derived-projection: a kill of the application process loses nothing (the projector resumes from
 *   its cursor); a backend kill or OS crash may lose its last writes, as long as the store comes back
 *   whole, since the projection is rebuilt from its source, which carries the durability.
 * - telemetry: nothing; best effort, drops counted.
 */
export const CLASS_FAULTS: Readonly<Record<DurabilityClass, Readonly<Record<Fault, FaultDemand>>>> = {
  ephemeral: { 'process-kill': 'none', 'backend-kill': 'none', 'os-crash': 'none' },
  'restart-safe-local': { 'process-kill': 'no-loss', 'backend-kill': 'no-loss', 'os-crash': 'no-loss' },
  'shared-durable': { 'process-kill': 'no-loss', 'backend-kill': 'no-loss', 'os-crash': 'no-loss' },
  'derived-projection': { 'process-kill': 'no-loss', 'backend-kill': 'intact', 'os-crash': 'intact' },
  telemetry: { 'process-kill': 'none', 'backend-kill': 'none', 'os-crash': 'none' },
};

/** True when a backend whose outcome on a fault is `outcome` meets `demand`. */
export function meetsDemand(demand: FaultDemand, outcome: FaultOutcome): boolean {
  if (demand === 'none') return true;
  if (demand === 'intact') return outcome !== 'loses-all';
  return outcome === 'no-loss';
}

/** The faults on which a backend with `outcomes` falls short of what `cls` demands (empty: it survives all). */
export function unmetFaults(cls: DurabilityClass, outcomes: FaultOutcomes): Fault[] {
  return FAULTS.filter((f) => !meetsDemand(CLASS_FAULTS[cls][f], outcomes[f]));
}
