/** Jest runs the TypeScript sources through SWC, compiled to CommonJS for the test runtime. */
const ESM_ONLY =
  '(jose|ml-kmeans|ml-nearest-vector|ml-distance-euclidean|ml-spectra-processing|is-any-array)';

module.exports = {
  testEnvironment: 'node',
  transform: {
    // jose and ml-kmeans (with the mljs packages it imports) are published as ES modules only; they are
    // compiled to CommonJS like the sources.
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/jest.global-setup.cjs',
  testTimeout: 60000,
  maxWorkers: 2,
};
