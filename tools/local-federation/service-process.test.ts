import { resolve } from 'node:path';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import { compiledEntry } from './service-process.js';

describe('compiledEntry', () => {
  it("names the entry's compiled file under the build directory", () => {
    expect(compiledEntry(resolve(projectRoot(), 'gateway/index.ts'), '/build/dist')).toBe(
      '/build/dist/gateway/index.js',
    );
    expect(compiledEntry(resolve(projectRoot(), 'scripts/mongo-embedded.ts'), '/build/dist')).toBe(
      '/build/dist/scripts/mongo-embedded.js',
    );
  });

  it('refuses a file outside the project or one that is not TypeScript', () => {
    expect(() => compiledEntry('/elsewhere/index.ts', '/build/dist')).toThrow(
      /not a TypeScript file of this project/,
    );
    expect(() => compiledEntry(resolve(projectRoot(), 'package.json'), '/build/dist')).toThrow(
      /not a TypeScript file of this project/,
    );
  });
});
