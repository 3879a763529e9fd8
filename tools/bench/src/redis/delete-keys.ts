import { Redis } from 'ioredis';

/**
 * Deletes every key `pattern` matches (SCAN + UNLINK, on a connection of its own), except those
 * `keep` holds on to: the untimed reset between rounds, so that every round starts from the same
 * key space. Returns how many keys went.
 */
export async function deleteKeys(url: string, pattern: string, keep: (key: string) => boolean = () => false) {
  const admin = new Redis(url, { maxRetriesPerRequest: 0 });
  admin.on('error', () => undefined);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const gone = keys.filter((k) => !keep(k));
      if (gone.length > 0) deleted += await admin.unlink(...gone);
    } while (cursor !== '0');
    return deleted;
  } finally {
    admin.disconnect();
  }
}
