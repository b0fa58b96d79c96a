import type { PopulationModel } from '../subgraphs/shared/domain/population-model.js';

type QuantileFunction = (p: number) => number;

/**
 * A population model for worked examples: each metric's quantile q_p (p = 0 … 100) is the function given,
 * so a test can read percentiles straight off its inputs. Unless given, spend q_p = 100p and activity q_p = p.
 */
export function populationModelOf(
  population: number,
  quantiles: { spend?: QuantileFunction; activity?: QuantileFunction; interaction: QuantileFunction },
): PopulationModel {
  const table = (f: QuantileFunction): number[] => Array.from({ length: 101 }, (_, p) => f(p));
  return {
    version: 'population-test',
    population,
    quantiles: {
      spend: table(quantiles.spend ?? ((p) => 100 * p)),
      activity: table(quantiles.activity ?? ((p) => p)),
      interaction: table(quantiles.interaction),
    },
  };
}
