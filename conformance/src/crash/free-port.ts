import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for a server the harness starts for itself (free now; the server
 * binds it a moment later). The kits' Postgres and Redis servers take theirs from here.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
