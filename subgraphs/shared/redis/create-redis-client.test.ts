import { closeRedisClient, createRedisClient } from './create-redis-client.js';
import { MemoryKeyspace } from './memory/keyspace.js';
import { testKeyPrefix } from './test-key-prefix.js';

describe('createRedisClient', () => {
  it('uses the in-process adapter when no URL is given, or an empty one', async () => {
    const client = createRedisClient({ keyPrefix: 'factory:' });
    const fromEmptyUrl = createRedisClient({ url: '', keyPrefix: 'factory:' });
    expect(client.backend).toBe('memory');
    expect(fromEmptyUrl.backend).toBe('memory');
    // Both see the process-wide keyspace, like two connections to one server.
    await client.set('shared', 'yes');
    expect(await fromEmptyUrl.get('shared')).toBe('yes');
    await client.deleteByPrefix('');
    await Promise.all([closeRedisClient(client), closeRedisClient(fromEmptyUrl)]);
  });

  it('keeps a private keyspace apart from the shared one', async () => {
    const isolated = createRedisClient({ keyPrefix: 'factory:', keyspace: new MemoryKeyspace() });
    const shared = createRedisClient({ keyPrefix: 'factory:' });
    await shared.set('where', 'shared');
    expect(await isolated.get('where')).toBeNull();
    await shared.deleteByPrefix('');
    await Promise.all([closeRedisClient(isolated), closeRedisClient(shared)]);
  });

  it('refuses a URL that is not redis:// or rediss:// without echoing it', () => {
    expect(() => createRedisClient({ url: 'http://user:secret@example.test' })).toThrow(
      'Redis URL must start with redis:// or rediss://',
    );
    try {
      createRedisClient({ url: 'http://user:secret@example.test' });
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });

  it('rejects commands while Redis is unreachable instead of crashing, and still closes', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const client = createRedisClient({ url: 'redis://127.0.0.1:1', keyPrefix: testKeyPrefix('unreachable') });
    expect(client.backend).toBe('redis');
    const started = Date.now();
    await expect(client.get('anything')).rejects.toThrow(/max retries per request/i);
    expect(Date.now() - started).toBeLessThan(5000);
    await closeRedisClient(client);
    expect(client.status).toBe('end');
  });
});
