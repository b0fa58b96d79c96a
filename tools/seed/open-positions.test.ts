import { describe, expect, it } from '@jest/globals';
import { OpenPositions } from './open-positions.js';
import { SeededRandom } from './seeded-random.js';

describe('OpenPositions', () => {
  it('answers as a filtered list would, through random opens and closes', () => {
    const random = new SeededRandom(11);
    const size = 300;
    const positions = new OpenPositions(size);
    const open = new Set<number>();
    for (let step = 0; step < 3_000; step++) {
      const position = random.int(0, size - 1);
      if (open.has(position)) {
        positions.close(position);
        open.delete(position);
      } else {
        positions.open(position);
        open.add(position);
      }
      const list = [...open].sort((a, b) => a - b);
      expect(positions.count).toBe(list.length);
      if (list.length > 0) {
        const k = random.int(0, list.length - 1);
        expect(positions.nth(k)).toBe(list[k]);
      }
      const probe = random.int(0, size - 1);
      expect(positions.isOpen(probe)).toBe(open.has(probe));
      expect(positions.rank(probe)).toBe(list.filter((p) => p < probe).length);
    }
  });
});
