import { Redis } from 'ioredis';
import { NamespaceKeys } from '../client/key-layout.js';

/** Runs `fn` with a plain connection of its own (for CLIENT KILL, CLIENT LIST, cleanup), closed afterwards. */
export async function withRedisAdmin<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const target = url.startsWith('unix:') ? decodeURIComponent(new URL(url).pathname) : url;
  const client = new Redis(target, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.disconnect(false);
  }
}

/**
 * Removes every key of `namespace` (they all start with its hash tag), and nothing else: SCAN over
 * the tag's pattern, UNLINK in batches. SCAN may repeat a key, which is harmless here.
 */
export async function dropRedisNamespace(options: { url: string; namespace: string }): Promise<number> {
  const pattern = new NamespaceKeys(options.namespace).pattern;
  return withRedisAdmin(options.url, async (client) => {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await client.unlink(...keys);
    } while (cursor !== '0');
    return removed;
  });
}

/** The server's ids (CLIENT ID) of the connections whose name starts with `prefix`, from CLIENT LIST. */
export async function connectionIdsNamed(client: Redis, prefix: string): Promise<string[]> {
  const list = (await client.client('LIST')) as string;
  const ids: string[] = [];
  for (const line of list.split('\n')) {
    const fields = new Map(
      line
        .trim()
        .split(' ')
        .map((f) => {
          const i = f.indexOf('=');
          return [f.slice(0, i), f.slice(i + 1)] as const;
        }),
    );
    const name = fields.get('name');
    const id = fields.get('id');
    if (id && name && name.startsWith(prefix)) ids.push(id);
  }
  return ids.sort((a, b) => Number(a) - Number(b));
}
