import { storeNodeArgs } from './store-heap.js';

const GIB = 2 ** 30;

describe('storeNodeArgs', () => {
  it('gives the store half the machine, between 4 and 16 GiB', () => {
    expect(storeNodeArgs({}, 24 * GIB)).toEqual(['--max-old-space-size=12288']);
    expect(storeNodeArgs({}, 4 * GIB)).toEqual(['--max-old-space-size=4096']);
    expect(storeNodeArgs({}, 128 * GIB)).toEqual(['--max-old-space-size=16384']);
  });

  it('takes EMBEDDED_MONGO_HEAP_MB when set, and refuses a value that is no size', () => {
    expect(storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: '6000' }, 24 * GIB)).toEqual([
      '--max-old-space-size=6000',
    ]);
    expect(() => storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: 'lots' }, 24 * GIB)).toThrow(
      'EMBEDDED_MONGO_HEAP_MB',
    );
    expect(() => storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: '100' }, 24 * GIB)).toThrow('at least 256');
  });

  it('leaves a limit given in NODE_OPTIONS to rule', () => {
    expect(storeNodeArgs({ NODE_OPTIONS: '--max-old-space-size=9000' }, 24 * GIB)).toEqual([]);
  });
});
