// Shared Jest settings: swc transform (decorator metadata on) and the @ipfin/* path aliases.
const aliases = {
  '^@ipfin/(contracts|messaging|kernel|http|testing)$': '<rootDir>/libs/$1/src/index.ts',
};
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: aliases,
  setupFiles: ['reflect-metadata'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
