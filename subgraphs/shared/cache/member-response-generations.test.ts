import type { KeyValueCache } from './key-value-cache.js';
import { MemoryKeyValueCache } from './memory-key-value-cache.js';
import { MemberResponseGenerations } from './member-response-generations.js';

/** The shared cache as this process sees it: its deletes can fail (a timeout here, not at the gateway). */
class FlakyDeletes extends MemoryKeyValueCache {
  failures = 0;
  attempts = 0;
  override async deleteMany(keys: readonly string[]): Promise<boolean> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return false;
    }
    return super.deleteMany(keys);
  }
  override delete(key: string): Promise<boolean> {
    return this.deleteMany([key]);
  }
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('member response generations', () => {
  let cache: FlakyDeletes;
  let generations: MemberResponseGenerations;
  /** What the gateway reads: the same shared cache, which answers it. */
  let gateway: MemberResponseGenerations;

  beforeEach(() => {
    cache = new FlakyDeletes();
    generations = new MemberResponseGenerations(cache, { retryMs: 5 });
    gateway = new MemberResponseGenerations(cache as KeyValueCache);
  });
  afterEach(() => generations.close());

  it('gives a member a new generation when they change, and leaves the others alone', async () => {
    const [m1, m2] = [await gateway.current('M1'), await gateway.current('M2')];
    expect(await gateway.current('M1')).toBe(m1);
    await generations.advance('M1');
    expect(await gateway.current('M1')).not.toBe(m1);
    expect(await gateway.current('M2')).toBe(m2);
    await generations.advanceProgramme();
    expect(await gateway.current('M2')).not.toBe(m2);
  });

  it('tries an advance the cache did not answer again until it lands, so no stale answer outlives it', async () => {
    const before = await gateway.current('M1');
    const other = await gateway.current('M2');
    cache.failures = 3;
    await generations.advance('M1', 'M3');
    // Not confirmed: the old generation is still readable, and the advance is kept.
    expect(await gateway.current('M1')).toBe(before);
    expect(generations.pendingAdvances).toBe(2);
    await until(() => generations.pendingAdvances === 0);
    expect(generations.pendingAdvances).toBe(0);
    expect(cache.attempts).toBe(4);
    expect(await gateway.current('M1')).not.toBe(before);
    expect(await gateway.current('M2')).toBe(other);
  });

  it('gathers advances that fail meanwhile into the next try', async () => {
    const before = await gateway.current('P');
    cache.failures = 2;
    await generations.advance('A');
    await generations.advanceProgramme();
    expect(generations.pendingAdvances).toBe(2);
    await until(() => generations.pendingAdvances === 0);
    expect(cache.attempts).toBe(3);
    expect(await gateway.current('P')).not.toBe(before);
  });

  describe('held for a moment by the gateway', () => {
    let clock: number;
    let held: MemberResponseGenerations;
    beforeEach(() => {
      clock = 1_000_000;
      held = new MemberResponseGenerations(cache, { holdMs: 1000, now: () => clock });
    });

    it("sees another process's advance within holdMs, and its own at once", async () => {
      await held.current('M1'); // drawn here, so not held yet
      const first = await held.current('M1');
      await generations.advance('M1');
      clock += 999;
      expect(await held.current('M1')).toBe(first);
      clock += 1;
      await held.current('M1');
      const second = await held.current('M1');
      expect(second).not.toBe(first);
      await held.advance('M1');
      expect(await held.current('M1')).not.toBe(second);
      await held.current('M2');
      const beforeProgramme = await held.current('M2');
      await held.advanceProgramme();
      expect(await held.current('M2')).not.toBe(beforeProgramme);
    });

    it('holds nothing it drew while the cache did not answer', async () => {
      const silent: KeyValueCache = {
        get: async () => undefined,
        set: async () => undefined,
        delete: async () => false,
        deleteMany: async () => false,
        close: async () => undefined,
      };
      const offline = new MemberResponseGenerations(silent, { holdMs: 1000, now: () => clock });
      expect(await offline.current('M1')).not.toBe(await offline.current('M1'));
      offline.close();
    });
  });
});
