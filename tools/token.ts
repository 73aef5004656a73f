/**
 * Prints a local HS256 token: `npm run token -- --role bank --sub bank-a [--region 350600] [--uscc …]`.
 * The secret is AUTH_JWT_SECRET (the local default matches `npm start`).
 */
import jwt from 'jsonwebtoken';
import { LOCAL_JWT_SECRET } from './local-env';

const ROLES = ['bank', 'university', 'enterprise', 'agency', 'fund', 'regulator', 'admin'];

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
if (!role || !ROLES.includes(role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
if (!sub) problems.push('--sub is required (the institution id, e.g. bank-icbc-zz)');
if (role && role !== 'admin' && !region) problems.push('--region is required for every role but admin (6-digit code, e.g. 350600)');
if (region && !/^\d{6}$/.test(region)) problems.push('--region must be a 6-digit region code');
if (problems.length) {
  console.error(`token: ${problems.join('; ')}`);
  process.exit(2);
}
const secret = process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET;
const claims: Record<string, string> = { sub: sub!, role: role! };
if (region) claims.region = region;
if (uscc) claims.uscc = uscc;
process.stdout.write(`${jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: expiresIn as jwt.SignOptions['expiresIn'] })}\n`);
