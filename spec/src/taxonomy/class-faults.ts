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

/** What a probe found a backend does on one fault: the outcome, why, and what would make it lose nothing. */
export interface FaultFinding {
  /** What the backend, as configured, loses on the fault. */
  readonly outcome: FaultOutcome;
  /** The settings that decide it, and what they do on the fault. */
  readonly reason: string;
  /** The changes that would make the fault lose nothing (empty when it already loses nothing). */
  readonly fixes: readonly string[];
}

/** A condition other than a fault that refuses some classes (shared-durable on a file one host owns, an evicting cache). */
export interface ClassBarrier {
  /** The classes it refuses. */
  readonly classes: readonly DurabilityClass[];
  /** Why, naming the condition. */
  readonly reason: string;
  /** The changes that would lift it. */
  readonly fixes: readonly string[];
}

/** One class's verdict, as the probe result states it. */
export interface FaultVerdict {
  /** The class. */
  readonly class: DurabilityClass;
  /** Whether every fault meets the class's demand and no barrier names it. */
  readonly certified: boolean;
  /** What each demanded fault keeps when certified; where it falls short otherwise. */
  readonly reasons: string[];
  /** The faults on which the backend falls short of the class (empty when certified). */
  readonly unmet: Fault[];
  /** The changes that would certify the class (empty when certified). */
  readonly fixes: string[];
}

/**
 * The verdict for every class from what the backend does on each fault, by {@link CLASS_FAULTS}: a
 * class is certified iff every fault meets its demand and no barrier names it. A certified class's
 * reasons say what each fault it demands keeps; a refused class's say where it falls short, and its
 * fixes name the changes that would certify it.
 */
export function judgeClasses(
  findings: Readonly<Record<Fault, FaultFinding>>,
  options: {
    readonly barriers?: readonly ClassBarrier[];
    /** Extra reasons for a certified class (how it is shared, for example). */
    readonly notes?: Partial<Readonly<Record<DurabilityClass, readonly string[]>>>;
  } = {},
): FaultVerdict[] {
  const outcomes = Object.fromEntries(FAULTS.map((f) => [f, findings[f].outcome])) as FaultOutcomes;
  return (Object.keys(CLASS_FAULTS) as DurabilityClass[]).map((cls) => {
    const demands = CLASS_FAULTS[cls];
    const unmet = unmetFaults(cls, outcomes);
    const barriers = (options.barriers ?? []).filter((b) => b.classes.includes(cls));
    const certified = unmet.length === 0 && barriers.length === 0;
    const demanded = FAULTS.filter((f) => demands[f] !== 'none');
    const reasons = certified
      ? demanded.length === 0
        ? [
            `${cls} demands nothing of the backend on any fault (${cls === 'telemetry' ? 'best effort, drops counted' : 'its state may be lost at any time'})`,
          ]
        : [
            ...demanded.map((f) => `${f} (${demands[f]} demanded): ${findings[f].reason}`),
            ...(options.notes?.[cls] ?? []),
          ]
      : [
          ...unmet.map((f) => `${f} (${demands[f]} demanded, the backend ${outcomes[f]}): ${findings[f].reason}`),
          ...barriers.map((b) => b.reason),
        ];
    const fixes = certified
      ? []
      : [...new Set([...unmet.flatMap((f) => findings[f].fixes), ...barriers.flatMap((b) => b.fixes)])];
    return { class: cls, certified, reasons, unmet, fixes };
  });
}

/** The outcome on each fault, as the probe result's `faults` states it. */
export function faultOutcomes(findings: Readonly<Record<Fault, FaultFinding>>): Record<Fault, FaultOutcome> {
  return Object.fromEntries(FAULTS.map((f) => [f, findings[f].outcome])) as Record<Fault, FaultOutcome>;
}
