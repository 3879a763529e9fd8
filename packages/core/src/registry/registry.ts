import { semanticSurface, fingerprintOf } from '@stateproof/spec';
import type { AnySurface } from '../surface/surface.js';
import type { ViolationReporter } from '../runtime/violation-reporter.js';
import type { Mode } from '../runtime/mode.js';

/** Where a registry is in its lifecycle: definitions register while `open`; `sealed` after openRuntime. */
export type RegistryState = 'open' | 'sealed';

/**
 * Collects surface definitions during module load. `openRuntime` seals it; a non-ephemeral
 * definition after the seal is a runtime-created definition (STATEPROOF_RUNTIME_DEFINITION), and a
 * second, different definition under one id is STATEPROOF_DUPLICATE_ID — both handled by the mode
 * of the runtime that sealed the registry.
 */
export class Registry {
  private readonly byId = new Map<string, AnySurface>();
  private readonly duplicates: Array<{ id: string; first: AnySurface; second: AnySurface }> = [];
  private reporter: ViolationReporter | undefined;

  /** `open` until a runtime seals the registry. */
  get state(): RegistryState {
    return this.reporter ? 'sealed' : 'open';
  }

  /** The mode of the runtime that sealed the registry, if any. */
  get mode(): Mode | undefined {
    return this.reporter?.mode;
  }

  /** Registers a surface. Called by the definition functions; applications rarely call it. */
  define(surface: AnySurface): void {
    const existing = this.byId.get(surface.id);
    if (existing && !sameSemantics(existing, surface)) {
      if (this.reporter) {
        this.reporter.report(
          'STATEPROOF_DUPLICATE_ID',
          `surface id "${surface.id}" is defined twice with different contracts`,
          {
            subject: surface.id,
            details: { first: existing.definition.location, second: surface.definition.location },
          },
        );
      } else {
        this.duplicates.push({ id: surface.id, first: existing, second: surface });
      }
    }
    if (this.reporter && surface.class !== 'ephemeral' && !existing) {
      const at = surface.definition.location;
      this.reporter.report(
        'STATEPROOF_RUNTIME_DEFINITION',
        `${surface.class} surface "${surface.id}" was defined after startup${at ? ` at ${at.file}:${at.line}` : ''}; other replicas do not know it`,
        { subject: surface.id },
      );
    }
    // The first definition stays authoritative; a semantically equal re-definition (a module loaded twice) is harmless.
    if (!existing) this.byId.set(surface.id, surface);
  }

  /** The surface registered under `id`. */
  get(id: string): AnySurface | undefined {
    return this.byId.get(id);
  }

  /** True when `surface` (this very definition, or one with the same id and contract) is registered. */
  has(surface: AnySurface): boolean {
    const existing = this.byId.get(surface.id);
    return existing !== undefined && (existing === surface || sameSemantics(existing, surface));
  }

  /** Every registered surface, sorted by id. */
  list(): AnySurface[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Seals the registry under `reporter`'s mode, reporting duplicate ids found so far. Sealing a
   * sealed registry keeps the first reporter.
   */
  seal(reporter: ViolationReporter): void {
    if (this.reporter) return;
    for (const d of this.duplicates) {
      reporter.report('STATEPROOF_DUPLICATE_ID', `surface id "${d.id}" is defined twice with different contracts`, {
        subject: d.id,
        details: { first: d.first.definition.location, second: d.second.definition.location },
      });
    }
    this.duplicates.length = 0;
    this.reporter = reporter;
  }
}

/** True when two surfaces have the same id and the same semantic contract (fingerprint of their semantic part). */
export function sameContract(a: AnySurface, b: AnySurface): boolean {
  return a.id === b.id && sameSemantics(a, b);
}

function sameSemantics(a: AnySurface, b: AnySurface): boolean {
  return a === b || fingerprintOf(semanticSurface(a.definition)) === fingerprintOf(semanticSurface(b.definition));
}

const GLOBAL_KEY = Symbol.for('stateproof.registry.v1');

/**
 * The process-wide registry the definition functions use by default. Kept on globalThis so that two
 * copies of this package in one process still share one registry.
 */
export function defaultRegistry(): Registry {
  const g = globalThis as { [GLOBAL_KEY]?: Registry };
  g[GLOBAL_KEY] ??= new Registry();
  return g[GLOBAL_KEY];
}

/** A fresh, isolated registry (tests, tools, several apps in one process). */
export function createRegistry(): Registry {
  return new Registry();
}
