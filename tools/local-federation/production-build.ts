import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';

/** Where `npm run build` writes the compiled JavaScript (tsconfig.build.json's `outDir`). */
export const productionBuildDir = (): string => resolve(projectRoot(), 'dist');

/**
 * Compiles the services as `npm run build` does (tsconfig.build.json, into `dist/`) and returns that
 * directory; throws with the compiler's output when it fails.
 */
export function buildForProduction(log: (line: string) => void = () => undefined): string {
  const started = performance.now();
  log('Compiling the services (npm run build)…');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', resolve(projectRoot(), 'tsconfig.build.json')], {
    cwd: projectRoot(),
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`npm run build failed:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trim()}`);
  log(`Compiled in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return productionBuildDir();
}
