// System tests: the whole stack behind the one base URL, from bank to regulator.
require('./jest.test-stack');

module.exports = {
  ...require('./jest.shared'),
  displayName: 'system',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/system-setup.ts',
  globalTeardown: '<rootDir>/test/support/system-teardown.ts',
  testTimeout: 180000,
  maxWorkers: 1,
};
