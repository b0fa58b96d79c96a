import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import { ltvSampleCsv } from './ltv-sample.js';

describe('tools/samples/ltv-sample.csv', () => {
  it('is exactly what the documented parameters and seed generate', () => {
    const committed = readFileSync(resolve(projectRoot(), 'tools/samples/ltv-sample.csv'), 'utf8');
    expect(committed).toBe(ltvSampleCsv());
  });
});
