import { ByteSlabs } from './byte-slabs.js';
import type { SlabResident } from './byte-slabs.js';

function resident(): SlabResident {
  return { slab: undefined, offset: 0, length: 0 };
}

/** Distinct contents per serial, so a byte range copied to the wrong place shows. */
function bytesOf(serial: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) out[i] = (serial * 31 + i) % 251;
  return out;
}

describe('ByteSlabs', () => {
  it('keeps every live document’s bytes through churn, within about twice the live data', () => {
    const slabs = new ByteSlabs();
    const live = new Map<number, { resident: SlabResident; serial: number }>();
    let serial = 0;
    // 2,000 documents, each replaced about 100 times (a new copy placed, the old one freed), as updates do.
    for (let key = 0; key < 2_000; key += 1) {
      const r = resident();
      slabs.place(r, bytesOf(serial, 200 + (key % 700)));
      live.set(key, { resident: r, serial: serial++ });
    }
    for (let round = 0; round < 200_000; round += 1) {
      const key = (round * 7919) % 2_000;
      const previous = live.get(key)!;
      const r = resident();
      slabs.place(r, bytesOf(serial, 200 + ((key + round) % 700)));
      slabs.free(previous.resident);
      live.set(key, { resident: r, serial: serial++ });
    }
    for (const { resident: r, serial: s } of live.values()) {
      expect(slabs.view(r).equals(bytesOf(s, r.length))).toBe(true);
    }
    const liveBytes = [...live.values()].reduce((sum, entry) => sum + entry.resident.length, 0);
    expect(slabs.liveBytes).toBe(liveBytes);
    // Dead bytes are reclaimed: the slabs hold at most about twice the live data plus the current slab.
    expect(slabs.allocatedBytes).toBeLessThanOrEqual(2 * liveBytes + 2 * 2 ** 20);
    expect(slabs.compactions).toBeGreaterThan(0);
  });

  it('gives a large document a slab of its own and frees it whole', () => {
    const slabs = new ByteSlabs();
    const before = slabs.allocatedBytes;
    const big = resident();
    slabs.place(big, bytesOf(1, 200_000));
    expect(slabs.allocatedBytes).toBe(before + 200_000);
    expect(slabs.view(big).equals(bytesOf(1, 200_000))).toBe(true);
    slabs.free(big);
    expect(slabs.allocatedBytes).toBe(before);
    expect(() => slabs.view(big)).toThrow(/freed/);
  });
});
