import type { DeploymentMember, DeploymentRegistry } from '@stateproof/core/adapter-kit';
import type { StoreContext } from './store-context.js';

/**
 * The deployment fingerprint registry in SQLite: one row per live runtime instance with a liveness
 * lease, visible to every process that opens the file; expired rows are deleted by whoever registers next.
 */
export class SqliteDeploymentRegistry implements DeploymentRegistry {
  /** @internal */
  constructor(private readonly ctx: StoreContext) {}

  async register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]> {
    const t = this.ctx.tables.deployments;
    return this.ctx.exec.write(() => {
      const now = this.ctx.clock.now();
      this.ctx.sql.get(`DELETE FROM ${t} WHERE expires_at <= ?`).run(now);
      this.ctx.sql
        .get(
          `INSERT INTO ${t} (app, deployment, instance, fingerprint, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (app, deployment, instance) DO UPDATE SET fingerprint = excluded.fingerprint, expires_at = excluded.expires_at`,
        )
        .run(member.app, member.deployment, member.instance, member.fingerprint, now + leaseMs);
      const rows = this.ctx.sql
        .get(
          `SELECT app, deployment, instance, fingerprint, expires_at FROM ${t} WHERE app = ? AND deployment = ? AND instance <> ? ORDER BY instance`,
        )
        .all(member.app, member.deployment, member.instance) as Array<{
        app: string;
        deployment: string;
        instance: string;
        fingerprint: string;
        expires_at: number;
      }>;
      return rows.map((r) => ({
        app: r.app,
        deployment: r.deployment,
        instance: r.instance,
        fingerprint: r.fingerprint,
        expiresAt: r.expires_at,
      }));
    });
  }

  async unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void> {
    return this.ctx.exec.write(() => {
      this.ctx.sql
        .get(`DELETE FROM ${this.ctx.tables.deployments} WHERE app = ? AND deployment = ? AND instance = ?`)
        .run(member.app, member.deployment, member.instance);
    });
  }
}
