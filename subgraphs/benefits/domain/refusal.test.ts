import { accept, describePoints, describeYuan, refuse } from './refusal.js';

describe('refusal', () => {
  it('wraps a value or a coded refusal', () => {
    expect(accept(3)).toEqual({ ok: true, value: 3 });
    expect(refuse('OUT_OF_STOCK', 'Sold out.')).toEqual({
      ok: false,
      refusal: { code: 'OUT_OF_STOCK', message: 'Sold out.' },
    });
  });

  it('writes points with thousands separators and the right plural', () => {
    expect(describePoints(1)).toBe('1 point');
    expect(describePoints(0)).toBe('0 points');
    expect(describePoints(1_234_567)).toBe('1,234,567 points');
  });

  it('writes yuan from fen exactly', () => {
    expect(describeYuan(4_505)).toBe('¥45.05');
    expect(describeYuan(7)).toBe('¥0.07');
    expect(describeYuan(-120_000)).toBe('-¥1,200.00');
    expect(describeYuan(900_719_925_474_099)).toBe('¥9,007,199,254,740.99');
  });
});
