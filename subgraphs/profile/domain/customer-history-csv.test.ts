import {
  CsvFormatError,
  parseHistoryHeader,
  parseHistoryLine,
  splitCsvLine,
} from './customer-history-csv.js';

const header = parseHistoryHeader('customer_id,frequency,recency,T,monetary_value');

describe('parseHistoryHeader', () => {
  it('finds the columns in any order, ignoring others and a byte-order mark', () => {
    expect(parseHistoryHeader('\uFEFFT,monetary_value,id,recency,frequency')).toEqual({
      T: 0,
      monetary_value: 1,
      recency: 3,
      frequency: 4,
      count: 5,
    });
  });

  it('names what is missing or repeated', () => {
    expect(() => parseHistoryHeader('frequency,recency,t,monetary')).toThrow(
      'line 1: missing columns "T", "monetary_value"; the header must name frequency, recency, T, monetary_value (found: frequency, recency, t, monetary)',
    );
    expect(() => parseHistoryHeader('frequency,recency,T,monetary_value,T')).toThrow(CsvFormatError);
    expect(() => parseHistoryHeader('frequency,recency,T,monetary_value,T')).toThrow(
      'column "T" appears twice',
    );
  });
});

describe('parseHistoryLine', () => {
  it('reads a row into a history', () => {
    expect(parseHistoryLine('"C 1",2,30.43,38.86,4550.5', 2, header)).toEqual({
      history: { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 4550.5 },
    });
  });

  it.each([
    ['C1,two,3,5,10', 'line 7, column "frequency": "two" is not a number'],
    ['C1,2,,5,10', 'line 7, column "recency": "" is not a number'],
    ['C1,2,6,5,10', 'line 7, column "recency": recency must not exceed T'],
    ['C1,1.5,3,5,10', 'line 7, column "frequency": frequency must be a whole number ≥ 0'],
    ['C1,0,3,5,0', 'line 7, column "recency": recency must be 0 when frequency is 0'],
    ['C1,1,3,0,10', 'line 7, column "T": T must be a number > 0'],
    ['C1,1,3,5,-4', 'line 7, column "monetary_value": must be 0 or more'],
    ['C1,1,3,5', 'line 7: 4 fields, but the header has 5'],
  ])('%p → %p', (line, error) => {
    expect(parseHistoryLine(line, 7, header)).toEqual({ error });
  });

  it('skips blank lines', () => {
    expect(parseHistoryLine('  ', 3, header)).toBeNull();
  });
});

describe('splitCsvLine', () => {
  it('honours quotes and doubled quotes', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",')).toEqual(['a', 'b,c', 'say "hi"', '']);
  });
});
