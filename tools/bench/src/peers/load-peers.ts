import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PeerModules } from './peer-modules.js';

/**
 * The peers' own folder, tools/bench/peers, with its own package.json and lock file. The peers are
 * not workspace dependencies: a user who installs the toolkit should not install pg-boss,
 * graphile-worker and BullMQ (the first two also declare Node >= 22 and make `npm ci` warn on Node 20).
 */
export const PEERS_DIR = fileURLToPath(new URL('../../peers/', import.meta.url));

/** The command that installs them, also `npm run bench:peers` at the workspace root. */
export const PEERS_INSTALL = ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'] as const;

const PEER_PACKAGES = ['pg-boss', 'graphile-worker', 'bullmq', 'ioredis'] as const;

function installed(): boolean {
  return PEER_PACKAGES.every((name) => existsSync(join(PEERS_DIR, 'node_modules', name, 'package.json')));
}

let loaded: Promise<PeerModules> | undefined;

/**
 * Imports the peers, installing them first (from their lock file, output on stderr) when they are
 * missing. Throws with the command to run when the install fails.
 */
export function loadPeers(
  progress: (line: string) => void = (line) => console.error(`bench: ${line}`),
): Promise<PeerModules> {
  loaded ??= (async () => {
    if (!installed()) {
      progress(`installing the benchmark peers (${PEER_PACKAGES.join(', ')}) into ${PEERS_DIR}`);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const r = spawnSync(npm, PEERS_INSTALL, { stdio: ['ignore', 2, 2] });
      if (r.status !== 0 || !installed()) {
        throw new Error(
          `bench: could not install the benchmark peers (npm ${PEERS_INSTALL.join(' ')} exited ${r.status ?? r.signal}); run \`npm run bench:peers\` and read its output`,
        );
      }
    }
    return (await import(pathToFileURL(join(PEERS_DIR, 'index.js')).href)) as PeerModules;
  })();
  return loaded;
}
