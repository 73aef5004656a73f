// The tests' own stack (tools/test-stack-env.json): integration and system tests run against the
// embedded PostgreSQL and Kafka in `.data/test/` on their own ports, never `npm start`'s data — also
// when jest is run directly (`npm run test:system`, `npx jest -c jest.system.config.js …`), not only
// through `npm test`. Each variable already set in the environment wins (DATABASE_URL and
// KAFKA_BROKERS still point the tests at other servers). Loaded by the configs, so globalSetup and
// the workers see it.
const testStackEnv = require('./tools/test-stack-env.json');

for (const [name, value] of Object.entries(testStackEnv)) process.env[name] ??= value;

module.exports = { testStackEnv };
