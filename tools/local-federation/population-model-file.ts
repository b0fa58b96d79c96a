import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Environment } from '../../subgraphs/shared/config/environment.js';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import type { PopulationModel } from '../../subgraphs/shared/domain/population-model.js';
import { loadPopulationModel } from '../../subgraphs/shared/domain/population-model.js';

export const populationModelPath = (env: Environment): string =>
  resolve(projectRoot(), env.populationModelPath ?? '.data/models/population.json');

export function readPopulationModelIfPresent(path: string): PopulationModel | null {
  return existsSync(path) ? loadPopulationModel(path) : null;
}

export function writePopulationModel(path: string, model: PopulationModel): void {
  mkdirSync(dirname(path), { recursive: true });
  // Written aside then renamed, so a reader never sees half a model.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(model, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
