import type { Clock, DeploymentMember, DeploymentRegistry } from '@stateproof/core/adapter-kit';

/** The shared table of live runtime instances. */
export interface DeploymentSpace {
  readonly members: Map<string, DeploymentMember>;
}

/** A new deployment table. */
export function newDeploymentSpace(): DeploymentSpace {
  return { members: new Map() };
}

const key = (m: { app: string; deployment: string; instance: string }) =>
  `${m.app}\u0000${m.deployment}\u0000${m.instance}`;

/** The deployment fingerprint registry in memory: members with liveness leases. */
export class MemoryDeploymentRegistry implements DeploymentRegistry {
  /** @internal */
  constructor(
    private readonly space: DeploymentSpace,
    private readonly clock: Clock,
  ) {}

  async register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]> {
    const now = this.clock.now();
    this.space.members.set(key(member), { ...member, expiresAt: now + leaseMs });
    const peers: DeploymentMember[] = [];
    for (const [k, m] of this.space.members) {
      if (m.expiresAt <= now) this.space.members.delete(k);
      else if (m.app === member.app && m.deployment === member.deployment && m.instance !== member.instance)
        peers.push({ ...m });
    }
    return peers;
  }

  async unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void> {
    this.space.members.delete(key(member));
  }
}
