// Mutation testing of the domain against the unit tests alone: `npm run test:mutation` (not part of `npm test`).
// One module while writing its tests: `npx stryker run --mutate layers/domain/x.ts`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The `unit` project of jest.config.js, as one flat config (Stryker's jest runner takes no `projects`). */
const jestConfig = require('./jest.config.js');
const unit = jestConfig.projects.find((project) => project.displayName === 'unit');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // package.json has no "jest" key: the config below is the whole config (jest.config.js's projects would bring
    // the integration and browser stacks along), its rootDir the sandbox's.
    configFile: 'package.json',
    config: {
      ...unit,
      testTimeout: jestConfig.testTimeout,
      // Unit tests of the HTTP layer, the web client, the adapters and the PDF documents: they kill no domain rule,
      // and the OpenAPI one builds domain views outside any test, which makes every domain mutant "static"
      // (run against every test at full cost) on this 2-core machine.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/unit/(openapi|openapi-docs-bundle|web-api-types|local-authorizer|pre-token|schedule-sync|tracing|documents)\\.test\\.ts$',
      ],
    },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Static mutants (code run when a module loads: the zod declarations, constant tables, and whatever a test file
  // computes outside its tests) are each run against every related test, not just the covering ones: 22 % of the
  // mutants took 93 % of the time, more than this 2-core machine shared by several sessions gives. They are left
  // out of the score (reported as Ignored); the request-body tests (test/unit/domain-schemas.test.ts) cover the
  // declarations. Set it to false here to count them too (hours on this machine).
  ignoreStatic: true,
  checkers: ['typescript'],
  // The domain alone: it imports nothing outside layers/domain but zod, so the checker compiles only that.
  tsconfigFile: 'stryker.tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Everything in the domain, the use cases included; files of types only simply yield no mutant.
  mutate: ['layers/domain/**/*.ts'],
  // Second run: only mutants in changed code, or covered by changed tests, run again. The file is git-ignored
  // (reports/), so it speeds up the same checkout; a fresh clone starts from scratch.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  // The machine has 2 cores shared by several sessions.
  concurrency: 2,
  // What the unit tests never read: not copied into Stryker's sandbox.
  ignorePatterns: ['cdk.out', 'bench', 'web/dist', 'web/public', '.local', 'coverage', 'reports', '.stryker-tmp*'],
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
};
