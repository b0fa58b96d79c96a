import { SEMI_SPACE_MIB, storeNodeArgs, youngGenerationNodeArgs } from './service-heap.js';

const GIB = 2 ** 30;

const YOUNG = `--max-semi-space-size=${SEMI_SPACE_MIB}`;

describe('youngGenerationNodeArgs', () => {
  it('sets the semi-space, unless NODE_OPTIONS does', () => {
    expect(youngGenerationNodeArgs({})).toEqual([YOUNG]);
    expect(youngGenerationNodeArgs({ NODE_OPTIONS: '--max-semi-space-size=16' })).toEqual([]);
    expect(youngGenerationNodeArgs({ NODE_OPTIONS: '--max-old-space-size=9000' })).toEqual([YOUNG]);
  });
});

describe('storeNodeArgs', () => {
  it('gives the store half the machine, between 4 and 16 GiB, and the larger young generation', () => {
    expect(storeNodeArgs({}, 24 * GIB)).toEqual([YOUNG, '--max-old-space-size=12288']);
    expect(storeNodeArgs({}, 4 * GIB)).toEqual([YOUNG, '--max-old-space-size=4096']);
    expect(storeNodeArgs({}, 128 * GIB)).toEqual([YOUNG, '--max-old-space-size=16384']);
  });

  it('takes EMBEDDED_MONGO_HEAP_MB when set, and refuses a value that is no size', () => {
    expect(storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: '6000' }, 24 * GIB)).toEqual([
      YOUNG,
      '--max-old-space-size=6000',
    ]);
    expect(() => storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: 'lots' }, 24 * GIB)).toThrow(
      'EMBEDDED_MONGO_HEAP_MB',
    );
    expect(() => storeNodeArgs({ EMBEDDED_MONGO_HEAP_MB: '100' }, 24 * GIB)).toThrow('at least 256');
  });

  it('leaves a limit given in NODE_OPTIONS to rule', () => {
    expect(storeNodeArgs({ NODE_OPTIONS: '--max-old-space-size=9000' }, 24 * GIB)).toEqual([YOUNG]);
    expect(
      storeNodeArgs({ NODE_OPTIONS: '--max-old-space-size=9000 --max-semi-space-size=8' }, 24 * GIB),
    ).toEqual([]);
  });
});
