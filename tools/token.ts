/**
 * Prints a local HS256 token: `npm run token -- --role bank --sub bank-a [--region 350600] [--uscc …]`.
 * The secret is AUTH_JWT_SECRET (the local default matches `npm start`).
 */
import { ROLES, signLocalToken, type Role } from '@ipfin/http';
import { LOCAL_JWT_SECRET } from './local-env';


function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const role = arg('role');
const sub = arg('sub');
const region = arg('region');
const uscc = arg('uscc');
const expiresIn = arg('expires') ?? '12h';
const problems: string[] = [];
if (!role || !(ROLES as readonly string[]).includes(role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
if (!sub) problems.push('--sub is required (the institution id, e.g. bank-icbc-zz)');
if (role && role !== 'admin' && !region) problems.push('--region is required for every role but admin (6-digit code, e.g. 350600)');
if (region && !/^\d{6}$/.test(region)) problems.push('--region must be a 6-digit region code');
if (problems.length) {
  console.error(`token: ${problems.join('; ')}`);
  process.exit(2);
}
const secret = process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET;
process.stdout.write(`${signLocalToken({ sub: sub!, role: role as Role, ...(region ? { region } : {}), ...(uscc ? { uscc } : {}) }, secret, expiresIn)}\n`);
