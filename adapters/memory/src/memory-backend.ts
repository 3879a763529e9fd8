/**
 * The shared memory behind memory adapters. Adapter instances that share one backend and one
 * namespace behave like processes on one shared server: they see the same records, logs, claims,
 * tasks and sessions, and channel messages fan out across them. Namespaces never see each other.
 */
export class MemoryBackend {
  private readonly namespaces = new Map<string, MemoryNamespace>();

  /** The state of one namespace, created on first use. */
  namespace(name: string): MemoryNamespace {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = new MemoryNamespace();
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  /** Forgets a namespace entirely (what `dispose` does in the conformance suite). */
  drop(name: string): void {
    this.namespaces.delete(name);
  }
}

/** Everything one namespace holds: one state object per surface space, and id counters. */
export class MemoryNamespace {
  private readonly spaces = new Map<string, unknown>();
  private ids = 0;

  /** The state of `space`, created by `create` on first use; `kind` keeps two kinds from sharing one space by accident. */
  space<T>(kind: string, space: string, create: () => T): T {
    const key = `${kind}\u0000${space}`;
    let state = this.spaces.get(key) as T | undefined;
    if (state === undefined) {
      state = create();
      this.spaces.set(key, state);
    }
    return state;
  }

  /** A new id, unique within the namespace. */
  nextId(prefix: string): string {
    return `${prefix}${(++this.ids).toString(36)}`;
  }
}
