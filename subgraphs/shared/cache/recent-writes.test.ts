import { RecentWrites, writeUnlessRecent } from './recent-writes.js';

describe('RecentWrites', () => {
  it('skips a write of the value last written under the key, within the refresh interval only', async () => {
    let clock = 0;
    const recent = new RecentWrites({ refreshMs: 1000, now: () => clock });
    const writes: string[] = [];
    const write = (key: string, value: string) =>
      writeUnlessRecent(recent, key, value, async () => writes.push(`${key}=${value}`));
    await write('M1', 'GOLD');
    await write('M1', 'GOLD');
    await write('M2', 'GOLD');
    await write('M1', 'SILVER');
    await write('M1', 'GOLD');
    clock = 999;
    await write('M1', 'GOLD');
    clock = 2000;
    await write('M1', 'GOLD');
    expect(writes).toEqual(['M1=GOLD', 'M2=GOLD', 'M1=SILVER', 'M1=GOLD', 'M1=GOLD']);
  });

  it('tries a failed write again, and writes again after forget', async () => {
    const recent = new RecentWrites();
    let calls = 0;
    await expect(
      writeUnlessRecent(recent, 'M1', 'x', async () => {
        calls++;
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    await writeUnlessRecent(recent, 'M1', 'x', async () => calls++);
    recent.forget('M1');
    await writeUnlessRecent(recent, 'M1', 'x', async () => calls++);
    expect(calls).toBe(3);
  });

  it('holds at most max keys, forgetting the oldest written first', async () => {
    const recent = new RecentWrites({ max: 2 });
    recent.wrote('a', '1');
    recent.wrote('b', '1');
    recent.wrote('a', '1');
    recent.wrote('c', '1');
    expect([recent.has('a', '1'), recent.has('b', '1'), recent.has('c', '1')]).toEqual([true, false, true]);
  });
});
