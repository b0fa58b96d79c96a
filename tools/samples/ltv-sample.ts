import { simulateCustomerHistories } from '../../subgraphs/profile/domain/simulate-customer-histories.js';
import { SeededRandom } from '../seed/seeded-random.js';

/**
 * The parameters `tools/samples/ltv-sample.csv` was drawn from. BG/NBD: the CDNOW estimates of Fader,
 * Hardie & Lee 2005 (time unit: weeks). Gamma-Gamma: p = 6, q = 4, γ = 3000 fen, a mean order value of
 * pγ/(q − 1) = 6000 fen (CNY 60).
 */
export const LTV_SAMPLE_PARAMETERS = {
  bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6, q: 4, gamma: 3000 },
  customers: 2000,
  /** Observation times T uniform on 26-78 weeks. */
  minT: 26,
  maxT: 78,
  seed: 2005,
} as const;

/** The sample as CSV text: weeks to two decimals, monetary value in fen to two decimals. */
export function ltvSampleCsv(): string {
  const p = LTV_SAMPLE_PARAMETERS;
  const histories = simulateCustomerHistories(
    p.bgNbd,
    p.gammaGamma,
    { customers: p.customers, minT: p.minT, maxT: p.maxT },
    new SeededRandom(p.seed),
  );
  const lines = ['customer_id,frequency,recency,T,monetary_value'];
  histories.forEach((h, i) => {
    lines.push(
      [
        `C${String(i + 1).padStart(5, '0')}`,
        h.frequency,
        h.recency.toFixed(2),
        h.T.toFixed(2),
        h.monetaryValue.toFixed(2),
      ].join(','),
    );
  });
  return `${lines.join('\n')}\n`;
}
