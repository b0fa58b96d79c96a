import { MemoryKeyValueCache } from './memory-key-value-cache.js';

describe('MemoryKeyValueCache', () => {
  it('stays within maxEntries, dropping the entry written longest ago', async () => {
    const cache = new MemoryKeyValueCache(2);
    await cache.set('a', '1');
    await cache.set('b', '2');
    await cache.set('a', '1 again'); // rewriting makes it the newest
    await cache.set('c', '3');
    expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([
      '1 again',
      undefined,
      '3',
    ]);
  });
});
