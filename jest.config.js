// Four projects that can run alone: `npm run test:unit`, `test:integration`, `test:infra`, `test:browser`.
const transform = {
  '^.+\\.(t|j)sx?$': ['ts-jest', { tsconfig: { module: 'commonjs', allowJs: true, esModuleInterop: true, isolatedModules: true } }],
};
// @middy/core and jose are published as ESM only: let ts-jest turn them into CommonJS too.
const transformIgnorePatterns = ['node_modules/(?!(@middy|jose)/)'];
const common = { transform, transformIgnorePatterns, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/setup/global-teardown.ts',
    },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      // Its own stack (with the demo data and the web app built), and the failed test known to its afterEach.
      globalSetup: '<rootDir>/test/browser/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/browser/support/global-teardown.ts',
      testEnvironment: '<rootDir>/test/browser/support/environment.ts',
    },
  ],
  // The integration and browser projects each share one local stack and one simulated clock: run files one at a time.
  maxWorkers: 1,
  testTimeout: 60000,
};
