import type { CustomerHistory } from './customer-history.js';
import { describeInvalidHistory } from './customer-history.js';

/**
 * Reading customer histories from CSV, one row per customer, in the column names of the reference
 * implementation (lifetimes' `summary_data_from_transaction_data`): frequency, recency, T, monetary_value.
 * Other columns (a customer id) are allowed and ignored. Errors name the line and the column.
 */
export const HISTORY_COLUMNS = ['frequency', 'recency', 'T', 'monetary_value'] as const;
type HistoryColumn = (typeof HISTORY_COLUMNS)[number];

export type ColumnIndex = Record<HistoryColumn, number> & { count: number };

export class CsvFormatError extends Error {}

/** Splits one CSV line (RFC 4180 quoting: "a,b" is one field, "" inside quotes is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/** Finds the required columns in the header line (line 1). */
export function parseHistoryHeader(line: string): ColumnIndex {
  const names = splitCsvLine(line.replace(/^\uFEFF/, ''));
  const index: Partial<Record<HistoryColumn, number>> = {};
  names.forEach((name, i) => {
    if (!(HISTORY_COLUMNS as readonly string[]).includes(name)) return;
    if (index[name as HistoryColumn] !== undefined) {
      throw new CsvFormatError(`line 1: column "${name}" appears twice`);
    }
    index[name as HistoryColumn] = i;
  });
  const missing = HISTORY_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length) {
    throw new CsvFormatError(
      `line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; ` +
        `the header must name ${HISTORY_COLUMNS.join(', ')} (found: ${names.join(', ') || 'nothing'})`,
    );
  }
  return { ...(index as Record<HistoryColumn, number>), count: names.length };
}

/** One data line: a history, or an error naming the line and the column; null for a blank line. */
export function parseHistoryLine(
  line: string,
  lineNumber: number,
  columns: ColumnIndex,
): { history: CustomerHistory } | { error: string } | null {
  if (line.trim() === '') return null;
  const fields = splitCsvLine(line);
  if (fields.length !== columns.count) {
    return { error: `line ${lineNumber}: ${fields.length} fields, but the header has ${columns.count}` };
  }
  const values: Partial<Record<HistoryColumn, number>> = {};
  for (const column of HISTORY_COLUMNS) {
    const text = fields[columns[column]];
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) {
      return { error: `line ${lineNumber}, column "${column}": "${text}" is not a number` };
    }
    values[column] = value;
  }
  const history: CustomerHistory = {
    frequency: values.frequency!,
    recency: values.recency!,
    T: values.T!,
    monetaryValue: values.monetary_value!,
  };
  const problem = describeInvalidHistory(history);
  if (problem) {
    const column = problem.split(' ')[0];
    return { error: `line ${lineNumber}, column "${column}": ${problem}` };
  }
  if (history.monetaryValue < 0) {
    return { error: `line ${lineNumber}, column "monetary_value": must be 0 or more` };
  }
  return { history };
}
