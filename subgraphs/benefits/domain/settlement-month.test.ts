import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { bookedMonth, monthIsAfter, settlementMonthFor } from './settlement-month.js';
import type { WalletEntry } from './wallet-entry.js';

const calendar = createProgrammeCalendar();

describe('settlementMonthFor', () => {
  it('books in the programme-local month of recording: 16:30 UTC on 31 July is August in Shanghai', () => {
    expect(settlementMonthFor(new Date('2025-07-31T15:59:59Z'), new Set(), calendar)).toBe('2025-07');
    expect(settlementMonthFor(new Date('2025-07-31T16:30:00Z'), new Set(), calendar)).toBe('2025-08');
  });

  it('moves an entry of a closed month to the first open month after it, across a year end', () => {
    expect(settlementMonthFor(new Date('2025-07-20T00:00:00Z'), new Set(['2025-07']), calendar)).toBe(
      '2025-08',
    );
    expect(
      settlementMonthFor(new Date('2025-11-20T00:00:00Z'), new Set(['2025-11', '2025-12']), calendar),
    ).toBe('2026-01');
    expect(settlementMonthFor(new Date('2025-07-20T00:00:00Z'), new Set(['2025-06']), calendar)).toBe(
      '2025-07',
    );
  });
});

describe('bookedMonth', () => {
  const entry = { occurredAt: new Date('2025-06-30T17:00:00Z') } as WalletEntry;
  it('uses the month stored at write time, else the local month the entry occurred in', () => {
    expect(bookedMonth(entry, calendar)).toBe('2025-07');
    expect(bookedMonth({ ...entry, settlementMonth: '2025-09' }, calendar)).toBe('2025-09');
  });

  it('compares months in calendar order', () => {
    expect(monthIsAfter('2025-10', '2025-09')).toBe(true);
    expect(monthIsAfter('2025-09', '2025-10')).toBe(false);
  });
});
