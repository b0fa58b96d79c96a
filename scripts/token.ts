/**
 * npm run token -- --member M000001
 * npm run token -- --role partner_staff --partner inkwell
 * npm run token -- --role admin
 * Prints a development client token signed with JWT_SECRET (or the development default).
 */
import type { Principal } from '../subgraphs/shared/auth/principal.js';
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { readCliOptions, stringFlags, usageFailure } from './cli-options.js';

const usage =
  'npm run token -- --member M000001 | --role partner_staff --partner inkwell | --role partner_service --partner inkwell | --role admin [--expires 12h]';
const options = readCliOptions(stringFlags('member', 'role', 'partner', 'expires'), usage);
const fail = usageFailure(usage);

const env = readEnvironment();
if (!env.auth.jwtSecret)
  fail('JWKS_URL is set: client tokens come from the identity provider, not from this script.');
const role = (options.role as string | undefined) ?? (options.member ? 'member' : undefined);
let principal: Principal;
switch (role) {
  case 'member':
    principal = {
      role: 'member',
      memberId: (options.member as string | undefined) ?? fail('--member is required for a member token.'),
    };
    break;
  case 'partner_staff':
  case 'partner_service': {
    const partner = (options.partner as string | undefined) ?? fail(`--partner is required for ${role}.`);
    const registry = loadPartnerRegistry(partnerRegistryPath());
    if (!registry.byKey.has(partner))
      fail(`Unknown partner "${partner}"; partners are ${[...registry.byKey.keys()].join(', ')}.`);
    principal = { role, partner, subject: `${partner}-staff-dev` };
    break;
  }
  case 'admin':
    principal = { role: 'admin', subject: 'operator-dev' };
    break;
  default:
    principal = fail(role ? `Unknown role "${role}".` : 'Say whose token: --member ID or --role ROLE.');
}
const expires = (options.expires as string | undefined) ?? '12h';
if (!/^\d+[smhd]$/.test(expires)) fail(`--expires must look like 30m, 12h or 7d; got "${expires}".`);
console.log(
  await signDevToken(principal, env.auth.jwtSecret!, {
    expiresIn: expires,
    issuer: env.auth.issuer,
    audience: env.auth.audience,
  }),
);
