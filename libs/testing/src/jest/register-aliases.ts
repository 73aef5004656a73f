// jest loads globalSetup/globalTeardown with plain Node `require` (its swc transform applies, its
// moduleNameMapper does not), so `@ipfin/*` imports — @ipfin/contracts' topic catalogue, say —
// would not resolve there. This maps them from tsconfig.base.json's `paths`, once per process.
// Import it first in every jest global hook.
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../infra/paths';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
const marker = Symbol.for('ipfin.jest.aliases');
const globals = globalThis as { [marker]?: boolean };

if (!globals[marker]) {
  globals[marker] = true;
  const root = repoRoot();
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions?: { paths?: Record<string, string[]> };
  };
  const aliases = new Map<string, string>();
  for (const [alias, targets] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    if (!alias.includes('*') && targets[0]) aliases.set(alias, join(root, targets[0]));
  }
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveWithAliases(this: unknown, request, parent, isMain, options) {
    return original.call(this, aliases.get(request) ?? request, parent, isMain, options);
  };
}
