import type { DeploymentMember, DeploymentRegistry } from '../adapter/adapter.js';
import type { ViolationReporter } from './violation-reporter.js';

/** Who this process is in the deployment fingerprint registry. */
type Member = Omit<DeploymentMember, 'expiresAt'>;

/**
 * This process's membership in the adapter's deployment fingerprint registry: registered with a
 * liveness lease at startup, renewed by maintenance, removed on close. A live peer of the same app
 * and deployment with another fingerprint is STATEPROOF_RUNTIME_MISMATCH; different deployments
 * coexist (rolling deploys).
 */
export class DeploymentLease {
  private constructor(
    private readonly registry: DeploymentRegistry,
    private readonly member: Member,
    private readonly leaseMs: number,
  ) {}

  /**
   * Registers `member`, with a lease of three maintenance periods (at least 15 s; a runtime without
   * background maintenance counts a period as 5 s). When the mode refuses a mismatching peer, the
   * member is removed again before the error is thrown.
   */
  static async join(
    registry: DeploymentRegistry,
    member: Member,
    intervalMs: number | false,
    reporter: ViolationReporter,
  ): Promise<DeploymentLease> {
    const lease = new DeploymentLease(
      registry,
      member,
      Math.max(3 * (intervalMs === false ? 5000 : intervalMs), 15_000),
    );
    const peers = await registry.register(member, lease.leaseMs);
    const others = peers.filter((p) => p.fingerprint !== member.fingerprint);
    const listed = others.map((p) => `${p.instance}: ${p.fingerprint}`).join(', ');
    if (others.length > 0) {
      try {
        reporter.report(
          'STATEPROOF_RUNTIME_MISMATCH',
          `deployment "${member.deployment}" of app "${member.app}" has live peers with another fingerprint ` +
            `(${listed}); this process has ${member.fingerprint}`,
          {
            subject: member.deployment,
            details: { peers: others.map((p) => ({ instance: p.instance, fingerprint: p.fingerprint })) },
          },
        );
      } catch (error) {
        await lease.leave();
        throw error;
      }
    }
    return lease;
  }

  /** Renews the liveness lease. */
  async renew(): Promise<void> {
    await this.registry.register(this.member, this.leaseMs);
  }

  /** Leaves the registry. */
  async leave(): Promise<void> {
    const { app, deployment, instance } = this.member;
    await this.registry.unregister({ app, deployment, instance });
  }
}
