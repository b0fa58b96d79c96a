import { MemoryRedisClient } from './memory-redis-client.js';
import { MemoryKeyspace } from './keyspace.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('MemoryKeyspace expiry', () => {
  it('collects expired keys nobody reads again (periodic sweep), not only on access', async () => {
    const keyspace = new MemoryKeyspace(10);
    const client = new MemoryRedisClient({ keyspace });
    await client.set('short', 'v', 'PX', 20);
    await client.set('long', 'v', 'EX', 60);
    await client.set('forever', 'v');
    expect(keyspace.storedKeyCount).toBe(3);
    await sleep(80);
    expect(keyspace.storedKeyCount).toBe(2);
    await client.quit();
  });

  it('treats a key as alive until the clock is strictly past its expiry, as Redis does', () => {
    const keyspace = new MemoryKeyspace();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      keyspace.write('k', { type: 'string', value: 'v' });
      keyspace.expireAt('k', now + 5);
      jest.spyOn(Date, 'now').mockReturnValue(now + 5);
      expect(keyspace.has('k')).toBe(true);
      jest.spyOn(Date, 'now').mockReturnValue(now + 6);
      expect(keyspace.has('k')).toBe(false);
      expect(keyspace.storedKeyCount).toBe(0);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
