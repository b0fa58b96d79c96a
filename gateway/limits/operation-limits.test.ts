import { parse } from 'graphql';
import { DEFAULT_GATEWAY_SETTINGS } from '../../subgraphs/shared/config/environment.js';
import { costRoleOf, findLimitViolation, tokenLimitAsTooComplex } from './operation-limits.js';

const limits = DEFAULT_GATEWAY_SETTINGS.limits;
const within = { depth: 3, aliases: 0, rootFields: 1, directives: 0, cost: 100 };

describe('findLimitViolation', () => {
  it('accepts an operation within every limit', () => {
    expect(findLimitViolation(within, 200, limits, 'member')).toBeNull();
  });

  it.each([
    ['documentBytes', { ...within }, limits.maxDocumentBytes + 1],
    ['depth', { ...within, depth: limits.maxDepth + 1 }, 200],
    ['aliases', { ...within, aliases: limits.maxAliases + 1 }, 200],
    ['rootFields', { ...within, rootFields: limits.maxRootFields + 1 }, 200],
    ['directives', { ...within, directives: limits.maxDirectives + 1 }, 200],
    ['cost', { ...within, cost: limits.costBudgets.member + 1 }, 200],
  ])('names the %s limit with OPERATION_TOO_COMPLEX and HTTP 400', (limit, metrics, bytes) => {
    const error = findLimitViolation(metrics, bytes, limits, 'member');
    expect(error?.extensions).toMatchObject({ code: 'OPERATION_TOO_COMPLEX', limit, http: { status: 400 } });
    expect(error?.message).toMatch(/at most/);
  });

  it('reports a count too large to write as such, without a number', () => {
    const error = findLimitViolation({ ...within, aliases: Infinity }, 200, limits, 'member');
    expect(error?.message).toContain('more than can be counted');
    expect(error?.extensions.actual).toBeUndefined();
  });

  it('gives each role its own cost budget, smallest for callers without a token', () => {
    const { anonymous, member, partner, admin } = limits.costBudgets;
    expect(anonymous).toBeLessThan(member);
    expect(member).toBeLessThan(partner);
    expect(partner).toBeLessThan(admin);
    const costly = { ...within, cost: member + 1 };
    expect(findLimitViolation(costly, 200, limits, 'member')?.message).toContain('a member may run at most');
    expect(findLimitViolation(costly, 200, limits, 'partner')).toBeNull();
  });
});

describe('costRoleOf', () => {
  it('puts partner staff and partner services on the partner budget', () => {
    expect(costRoleOf({ role: 'partner_staff', partner: 'inkwell' })).toBe('partner');
    expect(costRoleOf({ role: 'partner_service', partner: 'inkwell' })).toBe('partner');
    expect(costRoleOf({ role: 'member', memberId: 'M1' })).toBe('member');
    expect(costRoleOf({ role: 'anonymous' })).toBe('anonymous');
    expect(costRoleOf({ role: 'admin' })).toBe('admin');
  });
});

describe('tokenLimitAsTooComplex', () => {
  it("turns graphql-js's token limit into OPERATION_TOO_COMPLEX", () => {
    let message = '';
    try {
      parse('{ a b c d e f }', { maxTokens: 4 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/tokens/);
    const formatted = tokenLimitAsTooComplex({ message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(formatted.extensions).toEqual({ code: 'OPERATION_TOO_COMPLEX', limit: 'tokens', max: 4 });
  });

  it('leaves other syntax errors alone', () => {
    const formatted = {
      message: 'Syntax Error: Expected Name, found <EOF>.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
    expect(tokenLimitAsTooComplex(formatted)).toBe(formatted);
  });
});
