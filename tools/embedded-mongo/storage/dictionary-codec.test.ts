import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { serialize } from 'bson';
import { SeededRandom } from '../../seed/seeded-random.js';
import { compressionDictionary } from './dictionary-codec.js';

const random = new SeededRandom(20261203);

/** An event-like document whose values vary with `random`, so that no two deflate alike. */
function eventBson(i: number): Buffer {
  return Buffer.from(
    serialize({
      _id: `evt-${i}-${random.int(0, 1e9)}`,
      type: ['purchase', 'refund', 'browse', 'interaction'][random.int(0, 3)],
      brandMemberId: `pf-${random.int(0, 5_000)}`,
      occurredAt: new Date(1_700_000_000_000 + random.int(0, 1e10)),
      state: 'applied',
      published: random.next() < 0.5,
      message: { amountMinor: random.int(0, 1e6), category: `category-${random.int(0, 40)}` },
      notes: 'x'.repeat(random.int(0, 300)),
    }),
  );
}

describe('DictionaryCodec', () => {
  const samples = Array.from({ length: 40 }, (_, i) => eventBson(i));
  const codec = compressionDictionary(samples);
  const { dictionary } = codec;

  it('reuses one zlib stream each way on this node', () => {
    // Falling back to the one-call functions would still be correct, but is what this codec exists to avoid.
    expect(codec.reusesStreams).toBe(true);
  });

  it('gives every document back, in the format the one-call functions read and write', () => {
    for (let i = 0; i < 2_000; i += 1) {
      const bson = eventBson(1_000 + i);
      const packed = Buffer.from(codec.deflate(bson));
      expect(packed.length).toBeLessThan(bson.length);
      expect(codec.inflate(packed, bson.length).equals(bson)).toBe(true);
      expect(inflateRawSync(packed, { dictionary }).equals(bson)).toBe(true);
      const byOneCall = deflateRawSync(bson, { dictionary, level: 1 });
      expect(codec.inflate(byOneCall, bson.length).equals(bson)).toBe(true);
    }
  });

  it('handles a document larger than its buffers, that does not compress', () => {
    const noise = Buffer.alloc(200_000);
    for (let i = 0; i < noise.length; i += 1) noise[i] = random.int(0, 255);
    const packed = Buffer.from(codec.deflate(noise));
    expect(packed.length).toBeGreaterThan(noise.length);
    expect(codec.inflate(packed, noise.length).equals(noise)).toBe(true);
    const small = eventBson(1);
    expect(codec.inflate(Buffer.from(codec.deflate(small)), small.length).equals(small)).toBe(true);
  });

  it('returns inflated bytes in a buffer of their own, not a view into a larger one', () => {
    const bson = eventBson(7);
    const inflated = codec.inflate(Buffer.from(codec.deflate(bson)), bson.length);
    // A held document keeps its bytes: a view would keep its whole backing buffer alive with it.
    expect(inflated.buffer.byteLength).toBe(bson.length);
  });

  it('throws on bytes that are not its deflate output, and keeps working after', () => {
    const bson = eventBson(8);
    const packed = Buffer.from(codec.deflate(bson));
    const corrupt = Buffer.from(packed);
    corrupt.fill(0xff, 0, 8);
    expect(() => codec.inflate(corrupt, bson.length)).toThrow();
    expect(() => codec.inflate(packed, bson.length + 5)).toThrow(/inflated to/);
    expect(codec.inflate(packed, bson.length).equals(bson)).toBe(true);
  });
});
