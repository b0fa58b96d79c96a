/**
 * npx tsx tools/samples/generate-ltv-sample.ts
 * Writes tools/samples/ltv-sample.csv, drawn from the known parameters in ltv-sample.ts, for
 * `npm run fit:ltv -- --csv tools/samples/ltv-sample.csv`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import { LTV_SAMPLE_PARAMETERS, ltvSampleCsv } from './ltv-sample.js';

const path = resolve(projectRoot(), 'tools/samples/ltv-sample.csv');
writeFileSync(path, ltvSampleCsv());
console.log(`Wrote ${LTV_SAMPLE_PARAMETERS.customers} customers to ${path}.`);
