import { evaluationPeriod } from './evaluation-period.js';

describe('evaluationPeriod', () => {
  it('takes quarters in Shanghai time: 31 March 17:00 UTC is already 1 April there', () => {
    expect(evaluationPeriod(new Date('2026-03-31T15:59:59Z')).key).toBe('2026-Q1');
    expect(evaluationPeriod(new Date('2026-03-31T16:00:00Z')).key).toBe('2026-Q2');
  });

  it('numbers periods consecutively across years', () => {
    const q4 = evaluationPeriod(new Date('2025-11-15T00:00:00Z'));
    const q1 = evaluationPeriod(new Date('2026-01-15T00:00:00Z'));
    expect(q4.key).toBe('2025-Q4');
    expect(q1.index - q4.index).toBe(1);
  });

  it('names months, halves, other lengths and years', () => {
    const at = new Date('2026-08-10T00:00:00Z');
    expect(evaluationPeriod(at, 1).key).toBe('2026-08');
    expect(evaluationPeriod(at, 6).key).toBe('2026-H2');
    expect(evaluationPeriod(at, 4).key).toBe('2026-P2');
    expect(evaluationPeriod(at, 12).key).toBe('2026');
    expect(() => evaluationPeriod(at, 5)).toThrow('must divide the year');
  });
});
