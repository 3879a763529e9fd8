import type { DeploymentMember, DeploymentRegistry } from '@stateproof/core/adapter-kit';
import type { PgDatabase } from '../db/pg-database.js';
import { NOW } from '../db/server-time.js';

/**
 * The deployment fingerprint registry (core's `DeploymentRegistry`) in Postgres: one row per live runtime
 * with a liveness lease. Registration runs under an advisory lock of its app and deployment, so of
 * two processes starting at once the second always sees the first (and is refused in enforce when
 * their fingerprints differ); other deployments neither wait nor see each other.
 */
export class PgDeploymentRegistry implements DeploymentRegistry {
  /** @internal */
  constructor(
    private readonly db: PgDatabase,
    private readonly s: string,
    private readonly schema: string,
  ) {}

  async register(member: Omit<DeploymentMember, 'expiresAt'>, leaseMs: number): Promise<DeploymentMember[]> {
    return this.db.transaction('registering the deployment fingerprint', async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
        `${this.schema}\u001fdeployments`,
        `${member.app}\u001f${member.deployment}`,
      ]);
      await tx.query(`delete from ${this.s}.deployments where app = $1 and deployment = $2 and expires_at <= ${NOW}`, [
        member.app,
        member.deployment,
      ]);
      await tx.query(
        `insert into ${this.s}.deployments (app, deployment, instance, fingerprint, expires_at) values ($1, $2, $3, $4, ${NOW} + $5::bigint)
         on conflict (app, deployment, instance) do update set fingerprint = excluded.fingerprint, expires_at = excluded.expires_at`,
        [member.app, member.deployment, member.instance, member.fingerprint, leaseMs],
      );
      const peers = await tx.query<{ instance: string; fingerprint: string; expires_at: string }>(
        `select instance, fingerprint, expires_at from ${this.s}.deployments where app = $1 and deployment = $2 and instance <> $3 and expires_at > ${NOW} order by instance`,
        [member.app, member.deployment, member.instance],
      );
      return peers.map((p) => ({
        app: member.app,
        deployment: member.deployment,
        instance: p.instance,
        fingerprint: p.fingerprint,
        expiresAt: Number(p.expires_at),
      }));
    });
  }

  async unregister(member: Omit<DeploymentMember, 'expiresAt' | 'fingerprint'>): Promise<void> {
    await this.db.query(
      'leaving the deployment registry',
      `delete from ${this.s}.deployments where app = $1 and deployment = $2 and instance = $3`,
      [member.app, member.deployment, member.instance],
    );
  }
}
