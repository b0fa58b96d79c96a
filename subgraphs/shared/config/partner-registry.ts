import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { JOINT_CATEGORIES } from '../domain/joint-categories.js';
import { PROGRAMME_TIME_ZONE, isKnownTimeZone } from '../domain/programme-calendar.js';
import { TIER_CODES } from '../domain/tiers.js';
import { PROGRAMME_PORTS } from './programme-ports.js';
import { redemptionSeedSchema } from '../../benefits/domain/redemption-terms.js';
import { partnerCheckoutSchema } from '../../benefits/domain/checkout-terms.js';
import { partnerSettlementSchema } from '../../benefits/domain/settlement-terms.js';
import type { MembershipPlan } from '../../benefits/domain/membership/membership-plan.js';
import {
  membershipPlanSchema,
  planReferenceProblems,
} from '../../benefits/domain/membership/membership-plan.js';

const partnerKey = z
  .string()
  .regex(
    /^[a-z][a-z0-9]{1,30}$/,
    'must be lowercase letters and digits, starting with a letter (it becomes a field name)',
  );

const benefitSeedSchema = z
  .object({
    code: z.string().regex(/^[A-Z0-9-]{3,40}$/, 'must be 3-40 upper-case letters, digits or dashes'),
    title: z.string().min(3),
    description: z.string().optional(),
    type: z.enum(['DISCOUNT', 'FREE_TRIAL', 'EXCLUSIVE_CONTENT', 'PRIORITY_SUPPORT', 'VOUCHER']),
    category: z.enum(JOINT_CATEGORIES),
    eligibleTiers: z.array(z.enum(TIER_CODES)).min(1),
    valueMinor: z.number().int().positive().optional(),
    percentOff: z.number().int().min(1).max(100).optional(),
    costMinor: z.number().int().min(0),
    exclusivityGroup: z.string().optional(),
    /** An eligibility rule besides the tier list; validated by the benefits subgraph when it loads the catalogue. */
    rule: z.unknown().optional(),
    /** How members redeem it with points: cost, stock, limits, window (see redemption-terms.ts). */
    redemption: redemptionSeedSchema.optional(),
  })
  .strict()
  .refine((b) => b.valueMinor !== undefined || b.percentOff !== undefined, {
    message: 'needs valueMinor or percentOff',
  });

const partnerSchema = z
  .object({
    key: partnerKey,
    /** Its brand subgraph's port: fixed per partner, so adding a partner never moves another's. */
    port: z.number().int().min(1024).max(65535),
    displayName: z.string().min(2),
    industry: z.string().min(2),
    currency: z.literal('CNY'),
    localTiers: z
      .array(z.object({ name: z.string().min(1), minSpendMinor: z.number().int().min(0) }).strict())
      .min(1),
    categoryMap: z.record(z.string().min(1), z.enum(JOINT_CATEGORIES)),
    benefits: z.array(benefitSeedSchema).min(1),
    /** Its own terms for points at its checkout (see checkout-terms.ts); absent: the programme's. */
    checkout: partnerCheckoutSchema.optional(),
    /** What it funds per point issued and is reimbursed per point honoured (see settlement-terms.ts). */
    settlement: partnerSettlementSchema.optional(),
  })
  .strict();

/** Seed data only: who the demo member is linked to, so the README, samples and tests can rely on it. */
const demoSchema = z
  .object({
    $comment: z.string().optional(),
    memberPartners: z.array(partnerKey).min(1),
  })
  .strict();

const registrySchema = z
  .object({
    $comment: z.string().optional(),
    jointCategories: z.array(z.string()),
    /** The zone of every calendar rule (campaign windows, member days, settlement months, expiry dates). */
    programmeTimeZone: z
      .string()
      .refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' })
      .default(PROGRAMME_TIME_ZONE),
    partners: z.array(partnerSchema).min(1),
    /** Paid plans of the programme (see membership-plan.ts); absent: none. */
    membershipPlans: z.array(membershipPlanSchema).default([]),
    demo: demoSchema.optional(),
  })
  .strict();

export type PartnerConfig = z.infer<typeof partnerSchema>;
export interface PartnerRegistry {
  partners: PartnerConfig[];
  byKey: ReadonlyMap<string, PartnerConfig>;
  programmeTimeZone: string;
  /** The partners the seeded demo member is linked to, in registry order. */
  demoMemberPartners: PartnerConfig[];
  /** Paid membership plans, in registry order. */
  membershipPlans: MembershipPlan[];
}

/** Without a `demo` section, the demo member is linked to the first partners of the registry. */
const DEFAULT_DEMO_LINKS = 3;

export class PartnerRegistryError extends Error {}

/** Subgraph names that a partner key (which names its brand subgraph) must not take. */
const RESERVED_KEYS = new Set(['profile', 'benefits', 'gateway']);

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  const partners = (raw as { partners?: { key?: unknown }[] })?.partners;
  if (path[0] === 'partners' && typeof path[1] === 'number') {
    const key = partners?.[path[1]]?.key;
    const where = typeof key === 'string' ? `partner "${key}"` : `partner #${path[1] + 1}`;
    const field = path.slice(2).join('.') || '(entry)';
    return `${where}, key "${field}": ${issue.message}`;
  }
  if (path[0] === 'membershipPlans' && typeof path[1] === 'number') {
    const id = (raw as { membershipPlans?: { id?: unknown }[] })?.membershipPlans?.[path[1]]?.id;
    const where = typeof id === 'string' ? `membership plan "${id}"` : `membership plan #${path[1] + 1}`;
    return `${where}, key "${path.slice(2).join('.') || '(entry)'}": ${issue.message}`;
  }
  return `key "${path.join('.') || '(root)'}": ${issue.message}`;
}

/** Validates a parsed registry; throws a `PartnerRegistryError` naming the partner and key at fault. */
export function validatePartnerRegistry(raw: unknown, source = 'partner registry'): PartnerRegistry {
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${describeIssue(raw, issue)}`);
    throw new PartnerRegistryError(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  const { partners, jointCategories, demo, programmeTimeZone, membershipPlans } = parsed.data;
  if (jointCategories.join() !== JOINT_CATEGORIES.join()) {
    throw new PartnerRegistryError(
      `Invalid ${source}: key "jointCategories" must be exactly ${JOINT_CATEGORIES.join(', ')}`,
    );
  }
  const byKey = new Map<string, PartnerConfig>();
  const benefitCodes = new Set<string>();
  const portOwners = new Map<number, string>(
    Object.entries(PROGRAMME_PORTS).map(([service, port]) => [port, `the ${service} service`]),
  );
  for (const partner of partners) {
    if (RESERVED_KEYS.has(partner.key)) {
      throw new PartnerRegistryError(
        `Invalid ${source}: partner "${partner.key}", key "key": "${partner.key}" is the name of a programme subgraph`,
      );
    }
    if (byKey.has(partner.key)) {
      throw new PartnerRegistryError(`Invalid ${source}: partner "${partner.key}" is listed twice`);
    }
    byKey.set(partner.key, partner);
    const portOwner = portOwners.get(partner.port);
    if (portOwner) {
      throw new PartnerRegistryError(
        `Invalid ${source}: partner "${partner.key}", key "port": ${partner.port} is already the port of ${portOwner}`,
      );
    }
    portOwners.set(partner.port, `partner "${partner.key}"`);
    for (const benefit of partner.benefits) {
      if (benefitCodes.has(benefit.code)) {
        throw new PartnerRegistryError(
          `Invalid ${source}: partner "${partner.key}", key "benefits": code ${benefit.code} is used twice`,
        );
      }
      benefitCodes.add(benefit.code);
    }
  }
  const unknownDemo = demo?.memberPartners.filter((key) => !byKey.has(key)) ?? [];
  if (unknownDemo.length > 0) {
    throw new PartnerRegistryError(
      `Invalid ${source}: key "demo.memberPartners": ${unknownDemo.join(', ')} is not a partner of the registry`,
    );
  }
  const planProblems = planReferenceProblems(membershipPlans, new Set(byKey.keys()), benefitCodes);
  if (planProblems.length > 0) {
    throw new PartnerRegistryError(`Invalid ${source}:\n${planProblems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const demoMemberPartners = demo
    ? partners.filter((p) => demo.memberPartners.includes(p.key))
    : partners.slice(0, DEFAULT_DEMO_LINKS);
  return { partners, byKey, demoMemberPartners, programmeTimeZone, membershipPlans };
}

export function loadPartnerRegistry(path: string): PartnerRegistry {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PartnerRegistryError(`Cannot read partner registry ${path}: ${(error as Error).message}`);
  }
  return validatePartnerRegistry(raw, `partner registry ${path}`);
}
