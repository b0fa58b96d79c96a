import { z } from 'zod';
import { JOINT_CATEGORIES } from '../../../shared/domain/joint-categories.js';
import { TIER_CODES } from '../../../shared/domain/tiers.js';

/**
 * Eligibility rules: the condition language of json-rules-engine (`all`, `any`, `not`, and leaf conditions
 * `{ fact, operator, value, params? }`), restricted to the member facts below and to the operators that make
 * sense for each fact, so a rule that would silently never match is refused when it is loaded or written.
 */

export const ACTIVITY_TYPES = ['purchase', 'interaction', 'browse', 'login'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Calendar periods in the programme's time zone: the current day, ISO week (from Monday) and month. */
export const ACTIVITY_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type ActivityPeriod = (typeof ACTIVITY_PERIODS)[number];

const NUMBER_OPERATORS = [
  'equal',
  'notEqual',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
] as const;
const SET_OPERATORS = ['contains', 'doesNotContain'] as const;
const CHOICE_OPERATORS = ['equal', 'notEqual', 'in', 'notIn'] as const;

export const RULE_OPERATORS = [...new Set([...NUMBER_OPERATORS, ...SET_OPERATORS, ...CHOICE_OPERATORS])];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const tierChoice = z.union([z.enum(TIER_CODES), z.array(z.enum(TIER_CODES)).min(1)]);

const tierCondition = z
  .object({ fact: z.literal('tier'), operator: z.enum(CHOICE_OPERATORS), value: tierChoice })
  .strict()
  .refine((c) => Array.isArray(c.value) === (c.operator === 'in' || c.operator === 'notIn'), {
    message: '`in` and `notIn` take a list of tiers; `equal` and `notEqual` take one tier',
    path: ['value'],
  });

/** Segment labels come from the trained model ("high value", "lapsed", …), so any label is accepted. */
const segmentCondition = z
  .object({
    fact: z.literal('segment'),
    operator: z.enum(CHOICE_OPERATORS),
    value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  })
  .strict()
  .refine((c) => Array.isArray(c.value) === (c.operator === 'in' || c.operator === 'notIn'), {
    message: '`in` and `notIn` take a list of segment labels; `equal` and `notEqual` take one',
    path: ['value'],
  });

const scoreCondition = z
  .object({ fact: z.literal('compositeScore'), operator: z.enum(NUMBER_OPERATORS), value: finite })
  .strict();

const affinityCondition = z
  .object({
    fact: z.literal('affinity'),
    params: z.object({ category: z.enum(JOINT_CATEGORIES) }).strict(),
    operator: z.enum(NUMBER_OPERATORS),
    value: finite.min(0).max(1),
  })
  .strict();

const partnerSetCondition = z
  .object({
    fact: z.enum(['brandsActive', 'consentedPartners']),
    operator: z.enum(SET_OPERATORS),
    value: z.string().min(1),
  })
  .strict();

const activityCondition = z
  .object({
    fact: z.literal('activity'),
    params: z
      .object({
        type: z.enum(ACTIVITY_TYPES),
        period: z.enum(ACTIVITY_PERIODS),
        /** Count at one partner only; without it, at every partner the member shares with. */
        partner: z.string().min(1).optional(),
      })
      .strict(),
    operator: z.enum(NUMBER_OPERATORS),
    value: finite.int().min(0),
  })
  .strict();

const leafCondition = z.discriminatedUnion('fact', [
  tierCondition,
  segmentCondition,
  scoreCondition,
  affinityCondition,
  partnerSetCondition,
  activityCondition,
]);

export type LeafCondition = z.infer<typeof leafCondition>;
export type RuleCondition =
  LeafCondition | { all: RuleCondition[] } | { any: RuleCondition[] } | { not: RuleCondition };

/** Nesting deeper than this is refused: a rule is read by people, and evaluated on every match. */
export const MAX_RULE_DEPTH = 5;
export const MAX_RULE_CONDITIONS = 50;

export class RuleValidationError extends Error {
  constructor(
    readonly ruleName: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Rule "${ruleName}": at ${path}: ${reason}`);
  }
}

function shapeOf(node: RuleCondition, depth = 1): { depth: number; leaves: number } {
  if ('all' in node || 'any' in node) {
    const children = ('all' in node ? node.all : node.any).map((c) => shapeOf(c, depth + 1));
    return {
      depth: Math.max(depth, ...children.map((c) => c.depth)),
      leaves: children.reduce((sum, c) => sum + c.leaves, 0),
    };
  }
  if ('not' in node) return shapeOf(node.not, depth + 1);
  return { depth, leaves: 1 };
}

const GROUP_KEYS = ['all', 'any', 'not'] as const;

/**
 * Checks one node and its children. Groups are told apart by their key (zod's union would report the
 * failure of every branch); leaves are checked by the schema of their fact.
 */
function checkNode(value: unknown, path: PropertyKey[]): { path: PropertyKey[]; message: string } | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { path, message: 'must be a condition object ({ fact, operator, value } or all / any / not)' };
  }
  const group = GROUP_KEYS.filter((key) => key in value);
  if (group.length === 0) {
    const parsed = leafCondition.safeParse(value);
    if (parsed.success) return null;
    const issue = parsed.error.issues[0];
    return { path: [...path, ...issue.path], message: issue.message };
  }
  const keys = Object.keys(value);
  if (group.length > 1 || keys.length > 1) {
    return { path, message: `a group has exactly one key (all, any or not), not ${keys.join(', ')}` };
  }
  const key = group[0];
  const children = (value as Record<string, unknown>)[key];
  if (key === 'not') return checkNode(children, [...path, key]);
  if (!Array.isArray(children) || children.length === 0) {
    return { path: [...path, key], message: 'must be a non-empty list of conditions' };
  }
  for (const [i, child] of children.entries()) {
    const fault = checkNode(child, [...path, key, i]);
    if (fault) return fault;
  }
  return null;
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? '(rule)' : path.map((p) => String(p)).join('.');

/**
 * Validates a rule (parsed JSON, or JSON text) and returns it typed. Throws a `RuleValidationError` naming
 * the rule and the path of the first fault, e.g. `Rule "GOLD-LOUNGE": at all.1.value: …`.
 */
export function parseEligibilityRule(raw: unknown, ruleName: string): RuleCondition {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new RuleValidationError(ruleName, '(rule)', `not JSON: ${(error as Error).message}`);
    }
  }
  const fault = checkNode(value, []);
  if (fault) throw new RuleValidationError(ruleName, formatPath(fault.path), fault.message);
  const rule = value as RuleCondition;
  const shape = shapeOf(rule);
  if (shape.depth > MAX_RULE_DEPTH) {
    throw new RuleValidationError(
      ruleName,
      '(rule)',
      `nests ${shape.depth} levels; at most ${MAX_RULE_DEPTH}`,
    );
  }
  if (shape.leaves > MAX_RULE_CONDITIONS) {
    throw new RuleValidationError(
      ruleName,
      '(rule)',
      `has ${shape.leaves} conditions; at most ${MAX_RULE_CONDITIONS}`,
    );
  }
  return rule;
}
