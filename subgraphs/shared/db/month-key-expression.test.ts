import { zoneOffsetMs } from './month-key-expression.js';

describe('zoneOffsetMs', () => {
  it('is +8 h in Asia/Shanghai and follows daylight saving elsewhere', () => {
    expect(zoneOffsetMs('Asia/Shanghai', new Date('2026-07-01T00:00:00Z'))).toBe(8 * 3_600_000);
    expect(zoneOffsetMs('Europe/Berlin', new Date('2026-01-15T00:00:00Z'))).toBe(3_600_000);
    expect(zoneOffsetMs('Europe/Berlin', new Date('2026-07-15T00:00:00Z'))).toBe(2 * 3_600_000);
  });
});
