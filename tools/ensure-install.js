// Runs before `npm start` / `npm test` on a fresh clone: installs dependencies when they are
// missing or older than package-lock.json. Plain JavaScript because nothing else is installed yet.
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  // `npm install` (the lockfile pins every version, other platforms' optional packages included, so
  // `npm ci` — the Dockerfile's — accepts it too; `npm install` leaves it as it is).
  console.log('ensure-install: installing dependencies (npm install)…');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
