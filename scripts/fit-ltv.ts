/**
 * npm run fit:ltv -- --csv FILE [--unit weeks|days] [--monthly-discount-rate 0.01]
 * Fits BG/NBD and Gamma-Gamma by maximum likelihood on a CSV of customer histories (columns frequency,
 * recency, T, monetary_value; recency and T in the unit given, monetary_value the mean repeat order value in
 * minor units) and prints the parameters, the log-likelihoods and a 12-month outlook. Bad rows are reported
 * by line and column, and nothing is fitted until the file is clean.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { BgNbdParams } from '../subgraphs/profile/domain/bg-nbd.js';
import { fitBgNbd } from '../subgraphs/profile/domain/bg-nbd.js';
import type { CustomerHistory } from '../subgraphs/profile/domain/customer-history.js';
import type { ColumnIndex } from '../subgraphs/profile/domain/customer-history-csv.js';
import {
  CsvFormatError,
  parseHistoryHeader,
  parseHistoryLine,
} from '../subgraphs/profile/domain/customer-history-csv.js';
import {
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaPopulationMeanSpend,
} from '../subgraphs/profile/domain/gamma-gamma.js';
import { customerLifetimeValue } from '../subgraphs/profile/domain/lifetime-value.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { readCliOptions } from './cli-options.js';

const usage = 'npm run fit:ltv -- --csv FILE [--unit weeks|days] [--monthly-discount-rate 0.01]';
const UNIT_DAYS = { weeks: 7, days: 1 } as const;
const MAX_ERRORS_SHOWN = 20;
const PROGRESS_FROM_BYTES = 1_000_000;

const options = readCliOptions(
  { csv: { type: 'string' }, unit: { type: 'string' }, 'monthly-discount-rate': { type: 'string' } },
  usage,
);
const fail = (message: string, code = 1): never => {
  console.error(message);
  process.exit(code);
};
const path = (options.csv as string | undefined) ?? fail(`--csv FILE is required.\n\nUsage: ${usage}`, 2);
const unit = (options.unit as string | undefined) ?? 'weeks';
if (!(unit in UNIT_DAYS)) fail(`--unit must be weeks or days; got "${unit}".`, 2);
const timeUnitDays = UNIT_DAYS[unit as keyof typeof UNIT_DAYS];
const discountText = (options['monthly-discount-rate'] as string | undefined) ?? '0.01';
const monthlyDiscountRate = Number(discountText);
if (!(monthlyDiscountRate >= 0 && monthlyDiscountRate < 1)) {
  fail(
    `--monthly-discount-rate must be a number from 0 to 1 (0.01 is 1% a month); got "${discountText}".`,
    2,
  );
}

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
let size: number;
try {
  size = statSync(path).size;
} catch (error) {
  fail(`Cannot read ${path}: ${(error as Error).message}`);
}

const histories: CustomerHistory[] = [];
const errors: string[] = [];
let errorCount = 0;
let columns: ColumnIndex | null = null;
let lineNumber = 0;
let bytesRead = 0;
const bar = size! >= PROGRESS_FROM_BYTES ? new ProgressBar('reading', size!) : null;
const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
for await (const line of lines) {
  lineNumber += 1;
  bytesRead += Buffer.byteLength(line) + 1;
  if (lineNumber % 10_000 === 0) bar?.update(Math.min(bytesRead, size!));
  if (!columns) {
    try {
      columns = parseHistoryHeader(line);
    } catch (error) {
      if (error instanceof CsvFormatError) fail(`${path}: ${error.message}`);
      throw error;
    }
    continue;
  }
  const row = parseHistoryLine(line, lineNumber, columns);
  if (!row) continue;
  if ('error' in row) {
    errorCount += 1;
    if (errors.length < MAX_ERRORS_SHOWN) errors.push(row.error);
  } else histories.push(row.history);
}
bar?.update(size!);
if (!columns)
  fail(`${path} is empty: the first line must be a header naming frequency, recency, T, monetary_value.`);
if (errorCount > 0) {
  const more = errorCount > errors.length ? `\n  … and ${errorCount - errors.length} more` : '';
  fail(
    `${path}: ${errorCount} bad row${errorCount > 1 ? 's' : ''}; nothing fitted.\n  ${errors.join('\n  ')}${more}`,
  );
}
if (histories.length === 0) fail(`${path} has a header but no customers.`);
const repeatBuyers = histories.filter((h) => h.frequency > 0 && h.monetaryValue > 0).length;
console.log(
  `Read ${histories.length.toLocaleString('en-US')} customers from ${path} in ${seconds(started)} ` +
    `(time unit: ${unit}); ${repeatBuyers.toLocaleString('en-US')} with repeat purchases.`,
);

/** A progress line on stderr every two seconds while a fit runs. */
function fitProgress(model: string) {
  let last = Date.now();
  return (evaluations: number, best: number) => {
    if (Date.now() - last < 2000) return;
    last = Date.now();
    process.stderr.write(`  ${model}: ${evaluations} likelihood evaluations, best ln L ${best.toFixed(2)}\n`);
  };
}

const fitStarted = Date.now();
const bgNbd = fitBgNbd(histories, { onEvaluation: fitProgress('BG/NBD') });
const perUnit = unit === 'weeks' ? 'week' : 'day';
const format = (params: object) =>
  Object.entries(params)
    .map(([k, v]) => `${k} = ${(v as number).toPrecision(6)}`)
    .join('   ');
console.log(`\nBG/NBD (Fader, Hardie & Lee 2005), time unit one ${perUnit}:`);
console.log(`  ${format(bgNbd.params)}`);
console.log(
  `  log-likelihood ${bgNbd.logLikelihood.toFixed(4)}   (${bgNbd.converged ? 'converged' : 'NOT converged'}, ` +
    `${bgNbd.evaluations} evaluations, ${seconds(fitStarted)})`,
);
reportExpectedRate(bgNbd.params);

if (repeatBuyers === 0)
  fail('\nNo customer has repeat purchases of positive value: Gamma-Gamma cannot be fitted.');
const ggStarted = Date.now();
const gammaGamma = fitGammaGamma(histories, { onEvaluation: fitProgress('Gamma-Gamma') });
console.log(
  `\nGamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"), money in minor units, on ${repeatBuyers} repeat buyers:`,
);
console.log(`  ${format(gammaGamma.params)}`);
console.log(
  `  log-likelihood ${gammaGamma.logLikelihood.toFixed(4)}   (${gammaGamma.converged ? 'converged' : 'NOT converged'}, ` +
    `${gammaGamma.evaluations} evaluations, ${seconds(ggStarted)})`,
);
const meanSpend = gammaGammaPopulationMeanSpend(gammaGamma.params);
console.log(
  `  mean order value E[M] = pγ/(q−1) = ${Number.isFinite(meanSpend) ? meanSpend.toFixed(1) : 'infinite (q ≤ 1)'}; ` +
    `frequency–spend correlation ${frequencySpendCorrelation(histories).toFixed(3)} (the model assumes none)`,
);

const outlookStarted = Date.now();
const model = { bgNbd: bgNbd.params, gammaGamma: gammaGamma.params, timeUnitDays };
let alive = 0;
let purchases = 0;
let value = 0;
let atRisk = 0;
for (const h of histories) {
  const clv = customerLifetimeValue(model, h, { monthlyDiscountRate });
  alive += clv.probabilityAlive;
  purchases += clv.expectedPurchases;
  value += clv.valueMinor;
  if (clv.probabilityAlive < 0.5) atRisk += 1;
}
const n = histories.length;
console.log(`\nNext 12 months, discounting ${(monthlyDiscountRate * 100).toFixed(2)}% a month:`);
console.log(
  `  mean P(alive) ${(alive / n).toFixed(3)}; ${atRisk} customers below 0.5 (at risk); ` +
    `expected purchases ${(purchases / n).toFixed(3)} per customer; CLV ${Math.round(value / n).toLocaleString('en-US')} ` +
    `minor units per customer, ${Math.round(value).toLocaleString('en-US')} in total (${seconds(outlookStarted)})`,
);
console.log(`\nDone in ${seconds(started)}: ${n} customers, ${repeatBuyers} repeat buyers, no bad rows.`);

function reportExpectedRate(p: BgNbdParams): void {
  console.log(
    `  mean purchase rate while active r/α = ${(p.r / p.alpha).toFixed(4)} per ${perUnit}; ` +
      `mean drop-out probability a/(a+b) = ${(p.a / (p.a + p.b)).toFixed(4)} per repeat purchase`,
  );
}
