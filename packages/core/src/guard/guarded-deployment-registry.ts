import type { DeploymentMember, DeploymentRegistry } from '../adapter/adapter.js';
import type { ClosedGate } from './closed-gate.js';

/** An adapter's deployment registry behind core's closed gate. */
export class GuardedDeploymentRegistry implements DeploymentRegistry {
  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly gate: ClosedGate,
  ) {}

  async register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]> {
    this.gate.assertOpen();
    return this.registry.register(member, leaseMs);
  }

  async unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void> {
    this.gate.assertOpen();
    return this.registry.unregister(member);
  }
}
