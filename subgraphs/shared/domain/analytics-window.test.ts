import { analyticsWindow, monthKeysOf, monthsBetween } from './analytics-window.js';

describe('analyticsWindow', () => {
  it('reads ISO instants', () => {
    expect(analyticsWindow('2026-01-01T00:00:00Z', '2026-07-01T00:00:00+08:00')).toEqual({
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-06-30T16:00:00Z'),
    });
  });

  it.each([
    ['2026-01-01', '2026-02-01T00:00:00Z', 'from'],
    ['2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z', 'from'],
    ['2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'to'],
    ['2026-01-01T00:00:00Z', 'tomorrow', 'to'],
  ])('refuses %s .. %s naming `%s`', (from, to, argument) => {
    expect(() => analyticsWindow(from, to)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName: argument }),
      }),
    );
  });
});

describe('month keys', () => {
  const utcMonth = (at: Date) => at.toISOString().slice(0, 7);
  it('covers the months the window touches, `to` exclusive', () => {
    const w = analyticsWindow('2025-11-15T00:00:00Z', '2026-02-01T00:00:00Z');
    expect(monthKeysOf(w, utcMonth)).toEqual(['2025-11', '2025-12', '2026-01']);
  });
  it('counts whole months across years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(monthsBetween('2026-02', '2026-02')).toBe(0);
  });
});
