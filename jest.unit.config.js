// Unit tests: pure logic beside the code (`src/**/*.spec.ts`, and the local tooling's `tools/*.spec.ts`), no infrastructure.
module.exports = {
  ...require('./jest.shared'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services}/*/src/**/*.spec.ts', '<rootDir>/tools/*.spec.ts'],
};
