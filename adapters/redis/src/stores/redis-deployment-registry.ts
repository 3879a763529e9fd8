import type { DeploymentMember, DeploymentRegistry } from '@stateproof/core/adapter-kit';
import { KEY_SEPARATOR, type NamespaceKeys } from '../client/key-layout.js';
import type { ScriptRunner } from '../client/script-runner.js';
import { DEPLOYMENT_REGISTER, DEPLOYMENT_UNREGISTER } from '../scripts/deployment-scripts.js';

/**
 * The deployment fingerprint registry (core's `DeploymentRegistry`) in Redis: live runtimes of one
 * app and deployment in one hash, with liveness leases judged by the server clock (see
 * deployment-scripts.ts). Other deployments live in other hashes and never see each other.
 */
export class RedisDeploymentRegistry implements DeploymentRegistry {
  /** @internal */
  constructor(
    private readonly runner: ScriptRunner,
    private readonly ns: NamespaceKeys,
  ) {}

  private key(app: string, deployment: string): string {
    return this.ns.fixed(`ns:deployments${KEY_SEPARATOR}${app}${KEY_SEPARATOR}${deployment}`);
  }

  async register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]> {
    const peers = (await this.runner.write(
      DEPLOYMENT_REGISTER,
      'registering the deployment fingerprint',
      [this.key(member.app, member.deployment)],
      [member.instance, member.fingerprint, leaseMs],
    )) as Array<[string, string, number]>;
    return peers
      .map(([instance, fingerprint, expiresAt]) => ({
        app: member.app,
        deployment: member.deployment,
        instance,
        fingerprint,
        expiresAt: Number(expiresAt),
      }))
      .sort((a, b) => (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0));
  }

  async unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void> {
    await this.runner.write(
      DEPLOYMENT_UNREGISTER,
      'leaving the deployment registry',
      [this.key(member.app, member.deployment)],
      [member.instance],
    );
  }
}
