import type { PartnerStatement } from './settlement-statement.js';
import { formatMinorAsDecimal, renderStatementCsv } from './statement-csv.js';

const statement: PartnerStatement = {
  partner: 'inkwell',
  month: '2025-07',
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  points: { issued: 500, reversed: 0, adjusted: 0, honoured: 1_200, honouredReturned: 100 },
  fundingOwedByPartnerMinor: 500,
  reimbursementOwedToPartnerMinor: 1_100,
  netOwedToPartnerMinor: 600,
  liability: {
    openingPoints: 0,
    movements: { earn: 500, reverse: -300, redeem: -200, return: 100, expire: 0, adjust: 0 },
    closingPoints: 100,
    closingFundingMinor: 100,
  },
  entryCount: 5,
  entriesFingerprint: 'x',
};

describe('renderStatementCsv', () => {
  it('writes one CRLF line per figure with exact decimal yuan', () => {
    expect(renderStatementCsv(statement).split('\r\n')).toEqual([
      'partner,month,time_zone,line,points,amount_minor,amount_cny',
      'inkwell,2025-07,Asia/Shanghai,points_issued,500,,',
      'inkwell,2025-07,Asia/Shanghai,points_reversed,0,,',
      'inkwell,2025-07,Asia/Shanghai,points_adjusted,0,,',
      'inkwell,2025-07,Asia/Shanghai,funding_owed_by_partner,500,500,5.00',
      'inkwell,2025-07,Asia/Shanghai,points_honoured,1200,,',
      'inkwell,2025-07,Asia/Shanghai,points_honoured_returned,100,,',
      'inkwell,2025-07,Asia/Shanghai,reimbursement_owed_to_partner,1100,1100,11.00',
      'inkwell,2025-07,Asia/Shanghai,net_owed_to_partner,,600,6.00',
      'inkwell,2025-07,Asia/Shanghai,liability_opening,0,,',
      'inkwell,2025-07,Asia/Shanghai,liability_earn,500,,',
      'inkwell,2025-07,Asia/Shanghai,liability_reverse,-300,,',
      'inkwell,2025-07,Asia/Shanghai,liability_redeem,-200,,',
      'inkwell,2025-07,Asia/Shanghai,liability_return,100,,',
      'inkwell,2025-07,Asia/Shanghai,liability_expire,0,,',
      'inkwell,2025-07,Asia/Shanghai,liability_adjust,0,,',
      'inkwell,2025-07,Asia/Shanghai,liability_closing,100,100,1.00',
      '',
    ]);
  });

  it('quotes a field holding a comma or a quote (RFC 4180)', () => {
    const csv = renderStatementCsv({ ...statement, partner: 'ink,"well"' });
    expect(csv.split('\r\n')[1]).toBe('"ink,""well""",2025-07,Asia/Shanghai,points_issued,500,,');
  });
});

describe('formatMinorAsDecimal', () => {
  it('formats negative, small and large amounts without floating point', () => {
    expect(formatMinorAsDecimal(-150)).toBe('-1.50');
    expect(formatMinorAsDecimal(7)).toBe('0.07');
    expect(formatMinorAsDecimal(900_719_925_474_099)).toBe('9007199254740.99');
  });
});
