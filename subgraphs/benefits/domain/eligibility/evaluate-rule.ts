import type { Almanac, TopLevelCondition } from 'json-rules-engine';
import { Engine } from 'json-rules-engine';
import type { LeafCondition, RuleCondition } from './eligibility-rule.js';
import type { MemberFacts } from './member-facts.js';
import { activityCount } from './member-facts.js';

export interface RuleOutcome {
  passed: boolean;
  /** The conditions that decided, as a person reads them, e.g. `login this MONTH 12 ≥ 10`. */
  reasons: string[];
}

const SYMBOL: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'includes',
  doesNotContain: 'excludes',
};

const member = (almanac: Almanac): Promise<MemberFacts> => almanac.factValue<MemberFacts>('member');

/** One engine per rule, built once: json-rules-engine runs an engine any number of times, each with its own facts. */
function buildEngine(rule: RuleCondition): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false });
  engine.addFact('tier', async (_p, a) => (await member(a)).tier);
  engine.addFact('segment', async (_p, a) => (await member(a)).segment);
  engine.addFact('compositeScore', async (_p, a) => (await member(a)).compositeScore);
  engine.addFact('brandsActive', async (_p, a) => (await member(a)).brandsActive);
  engine.addFact('consentedPartners', async (_p, a) => (await member(a)).consentedPartners);
  engine.addFact('affinity', async (params, a) => (await member(a)).affinities[params.category] ?? 0);
  engine.addFact('activity', async (params, a) => {
    const { type, period, partner } = params as ActivityParams;
    return activityCount(await member(a), type, period, partner);
  });
  // The engine's root must be a group: a single condition is run as a group of one.
  const root = 'fact' in rule ? { all: [rule] } : rule;
  engine.addRule({ conditions: root as TopLevelCondition, event: { type: 'eligible' } });
  return engine;
}

type ActivityParams = Extract<LeafCondition, { fact: 'activity' }>['params'];

const engines = new WeakMap<RuleCondition, Engine>();

function describeLeaf(node: LeafCondition & { factResult?: unknown }): string {
  const subject =
    node.fact === 'affinity'
      ? `affinity to ${node.params.category}`
      : node.fact === 'activity'
        ? `${node.params.type} this ${node.params.period}${node.params.partner ? ` at ${node.params.partner}` : ''}`
        : node.fact;
  const actual = Array.isArray(node.factResult) ? `[${node.factResult.join(', ')}]` : String(node.factResult);
  const expected = Array.isArray(node.value) ? node.value.join(', ') : String(node.value);
  return `${subject} ${actual} ${SYMBOL[node.operator]} ${expected}`;
}

type ResultNode = RuleCondition & { result?: boolean; factResult?: unknown };

/** The leaves that carried the outcome: those that held when the rule passed, those that failed otherwise. */
function decidingLeaves(node: ResultNode, wanted: boolean, out: string[]): void {
  if ('all' in node || 'any' in node) {
    for (const child of ('all' in node ? node.all : node.any) as ResultNode[]) {
      if (child.result === wanted) decidingLeaves(child, wanted, out);
    }
  } else if ('not' in node) {
    decidingLeaves(node.not as ResultNode, !wanted, out);
  } else if (node.result !== undefined) {
    out.push(`${wanted ? '' : 'not '}${describeLeaf(node)}`);
  }
}

/** Whether a member's facts satisfy a (validated) rule, and why. */
export async function evaluateRule(rule: RuleCondition, facts: MemberFacts): Promise<RuleOutcome> {
  let engine = engines.get(rule);
  if (!engine) {
    engine = buildEngine(rule);
    engines.set(rule, engine);
  }
  const { results, failureResults } = await engine.run({ member: facts });
  const passed = results.length > 0;
  const result = (passed ? results[0] : failureResults[0]).conditions as ResultNode;
  const reasons: string[] = [];
  decidingLeaves(result, passed, reasons);
  return { passed, reasons };
}
