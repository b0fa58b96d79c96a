/** Jest runs the TypeScript sources through SWC, compiled to CommonJS for the test runtime. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // jose is published as ES modules only; it is compiled to CommonJS like the sources.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/jest.global-setup.cjs',
  testTimeout: 60000,
  maxWorkers: 2,
};
