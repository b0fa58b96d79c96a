import { ExpiringMap } from './expiring-map.js';

describe('ExpiringMap', () => {
  it('answers an entry until its time, and nothing after', () => {
    let clock = 0;
    const map = new ExpiringMap<string>(10, () => clock);
    map.set('a', 'x', 100);
    map.set('b', 'y', Infinity);
    clock = 99;
    expect([map.get('a'), map.get('b')]).toEqual(['x', 'y']);
    clock = 100;
    expect([map.get('a'), map.get('b'), map.size]).toEqual([undefined, 'y', 1]);
  });

  it('holds at most max entries, dropping the one written longest ago', () => {
    const map = new ExpiringMap<number>(2);
    map.set('a', 1, Infinity);
    map.set('b', 2, Infinity);
    map.set('a', 3, Infinity);
    map.set('c', 4, Infinity);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
  });
});
