import { randomBytes } from 'node:crypto';
import type { Adapter, AdapterCapabilities } from '@stateproof/core';
import { redactUrl } from '@stateproof/core/adapter-kit';
import type { ProbeResultDocument } from '@stateproof/spec';
import type { TargetSettings } from '../args/target-options.js';
import { UsageError } from '../args/usage-error.js';
import { KITS } from '../targets/kits.js';
import { resolveTarget } from '../targets/resolve-target.js';

/** How long connecting and probing may take before the backend counts as unreachable. */
const PROBE_TIMEOUT_MS = 15_000;

/** What probing one backend found. */
export interface ProbedBackend {
  readonly probe: ProbeResultDocument;
  /** What the adapter claims, per kind: a class it does not host is not the backend's to give. */
  readonly capabilities: AdapterCapabilities;
  /** The backend in words, for reports (a URL without its password, a file, the kit's default). */
  readonly where: string;
}

/**
 * Opens the adapter the way conform and certify do (`stateproof probe`, `stateproof lint --probe`),
 * calls its probe, closes it and removes the namespace it opened. An unreachable backend (or one
 * that does not answer within 15 s) is a UsageError that says what to check.
 */
export async function probeBackend(adapterName: string, settings: TargetSettings, cwd: string): Promise<ProbedBackend> {
  const { target } = await resolveTarget(adapterName, settings, cwd);
  const where = settings.ownServer
    ? 'a server of its own'
    : settings.url !== undefined
      ? redactUrl(settings.url)
      : settings.file !== undefined
        ? settings.file
        : KITS.some((k) => k.name === adapterName)
          ? `the kit's default${adapterName === 'sqlite' ? ': a temporary file' : adapterName === 'memory' ? ': this process' : ' URL'}`
          : `as ${adapterName} configures it`;
  const namespace = `sp_probe_${randomBytes(4).toString('hex')}`;
  let adapter: Adapter | undefined;
  let timedOut = false;
  try {
    const [probe, capabilities] = await withTimeout(
      (async () => {
        const opened = await target.create({ namespace, clock: { now: () => Date.now() } });
        // Opened after the timeout: nobody is waiting any more, so close it at once.
        if (timedOut) await opened.close();
        else adapter = opened;
        return [await opened.probe(), opened.capabilities] as const;
      })(),
      PROBE_TIMEOUT_MS,
    );
    return { probe, capabilities, where };
  } catch (error) {
    timedOut = true;
    const variable = KITS.find((k) => k.name === adapterName)?.urlEnvironment;
    throw new UsageError(
      `could not probe the ${target.name} backend at ${where}: ${firstLine(error)}`,
      [
        'Check that the server runs and accepts connections from here, and that the URL (host, port, user, password, database) is right',
        variable ? `: pass --url, or set $${variable}` : '',
        KITS.find((k) => k.name === adapterName)?.ownServer
          ? ', or use --own-server to probe a server of its own.'
          : '.',
      ].join(''),
    );
  } finally {
    await withTimeout(
      (async () => {
        // Nothing to close or dispose when the adapter never opened (a dispose would try the unreachable backend again).
        const opened = adapter as Adapter | undefined;
        if (opened === undefined) return;
        await opened.close();
        await target.dispose?.(namespace);
      })(),
      5_000,
    ).catch(() => undefined);
    await target.server?.stop?.();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; errors?: unknown[] } | undefined;
  let message = typeof e?.message === 'string' && e.message !== '' ? e.message : undefined;
  // AggregateError (connecting to ::1 and 127.0.0.1) has an empty message of its own.
  if (message === undefined && Array.isArray(e?.errors) && e.errors.length > 0) return firstLine(e.errors[0]);
  message ??= typeof e?.code === 'string' ? e.code : String(error);
  return message.split('\n')[0] ?? message;
}
