// Integration tests: each library's and service's `test/` folder, against the real
// PostgreSQL and Kafka that tools/infra starts once (globalSetup) for the whole run.
require('./jest.test-stack');

module.exports = {
  ...require('./jest.shared'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,services}/*/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
