// Where the local stack keeps its files: everything lives under the repository root, in the
// git-ignored `.data/` (databases, broker logs, the state file) and `.cache/` (downloaded jars).
// `IPFIN_DATA_DIR` (relative to the root, or absolute) moves the data: `npm test` runs its own
// stack in `.data/test/`, so it never touches what `npm start` keeps in `.data/`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

let cachedRoot: string | undefined;

/** The repository root: the nearest directory above this file (or the cwd) holding nx.json. */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  for (const start of [__dirname, process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'nx.json'))) {
        cachedRoot = dir;
        return dir;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`infra: cannot find the repository root (no nx.json above ${__dirname} or ${process.cwd()})`);
}

export const dataDir = (): string => resolve(repoRoot(), process.env['IPFIN_DATA_DIR'] ?? '.data');
export const cacheDir = (): string => join(repoRoot(), '.cache');
export const stateFile = (): string => join(dataDir(), 'infra.json');
export const lockFile = (): string => join(dataDir(), 'infra.lock');
