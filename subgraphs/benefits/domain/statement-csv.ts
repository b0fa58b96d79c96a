import type { PartnerStatement } from './settlement-statement.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end in CRLF. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** "1234.05" from 123405 fen, by integer arithmetic (a spreadsheet reads it as a number, exactly). */
export function formatMinorAsDecimal(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const STATEMENT_CSV_HEADER = [
  'partner',
  'month',
  'time_zone',
  'line',
  'points',
  'amount_minor',
  'amount_cny',
];

/**
 * The statement as CSV, one line per figure: the funding the partner owes and its points, the
 * reimbursement it is owed and its points, the net (positive: the programme pays the partner), then the
 * partner's liability from opening to closing balance with each kind of movement.
 */
export function renderStatementCsv(s: PartnerStatement): string {
  const money = (minor: number) => [minor, formatMinorAsDecimal(minor)];
  const { points: p, liability: l } = s;
  const rows: (string | number)[][] = [
    ['points_issued', p.issued, '', ''],
    ['points_reversed', p.reversed, '', ''],
    ['points_adjusted', p.adjusted, '', ''],
    ['funding_owed_by_partner', p.issued - p.reversed + p.adjusted, ...money(s.fundingOwedByPartnerMinor)],
    ['points_honoured', p.honoured, '', ''],
    ['points_honoured_returned', p.honouredReturned, '', ''],
    [
      'reimbursement_owed_to_partner',
      p.honoured - p.honouredReturned,
      ...money(s.reimbursementOwedToPartnerMinor),
    ],
    ['net_owed_to_partner', '', ...money(s.netOwedToPartnerMinor)],
    ['liability_opening', l.openingPoints, '', ''],
    ...Object.entries(l.movements).map(([kind, points]) => [`liability_${kind}`, points, '', '']),
    ['liability_closing', l.closingPoints, ...money(l.closingFundingMinor)],
  ];
  return [STATEMENT_CSV_HEADER, ...rows.map((row) => [s.partner, s.month, s.timeZone, ...row])]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}
