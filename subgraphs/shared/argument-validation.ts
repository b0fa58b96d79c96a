import type { PartnerRegistry } from './config/partner-registry.js';
import { badInput } from './errors.js';

/** Checks on client arguments shared by every subgraph; each failure is a BAD_USER_INPUT naming the argument. */
const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_PAGE_SIZE = 100;

export function validateIdentifier(value: string, argumentName: string): string {
  if (!IDENTIFIER.test(value)) {
    throw badInput(
      `\`${argumentName}\` must be 1-64 letters, digits, _ or -; got "${value.slice(0, 80)}".`,
      argumentName,
    );
  }
  return value;
}

export function validatePartner(registry: PartnerRegistry, partner: string): string {
  if (!registry.byKey.has(partner)) {
    throw badInput(
      `Unknown partner "${partner.slice(0, 40)}"; partners are ${[...registry.byKey.keys()].join(', ')}.`,
      'partner',
    );
  }
  return partner;
}

export function validatePageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, 'first');
  }
  return first;
}
