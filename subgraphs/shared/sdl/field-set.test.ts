import { parse } from 'graphql';
import { completeSelectionSet, objectTypesOf, parseFieldSet, printFieldSet } from './field-set.js';

const types = (sdl: string) => objectTypesOf(parse(sdl));

describe('completeSelectionSet', () => {
  it('selects every field, and every field of the object types below, through list and non-null', () => {
    const selection = completeSelectionSet(
      'Summary',
      types(`
        type Summary { partner: String! total: Int lines: [Line!]! }
        type Line { category: String! amount: Money! }
        type Money { amountMinor: Int! currency: String! }
      `),
    );
    expect(printFieldSet(selection.selections)).toBe(
      'partner total lines { category amount { amountMinor currency } }',
    );
  });

  it('follows the SDL: a field added to the type is selected without another edit', () => {
    const before = completeSelectionSet('T', types('type T { a: Int }'));
    const after = completeSelectionSet('T', types('type T { a: Int "new" b: String }'));
    expect(printFieldSet(before.selections)).toBe('a');
    expect(printFieldSet(after.selections)).toBe('a b');
  });

  it('refuses a field with arguments, which a @requires selection cannot name', () => {
    expect(() => completeSelectionSet('T', types('type T { orders(first: Int): [Int] }'))).toThrow(
      'T.orders takes arguments, so a @requires selection cannot include it',
    );
  });

  it('refuses a cycle, which has no complete selection', () => {
    expect(() => completeSelectionSet('A', types('type A { b: B } type B { a: [A] }'))).toThrow(
      'A > B > A is a cycle',
    );
  });

  it('names a type it cannot find', () => {
    expect(() => completeSelectionSet('Missing', types('type T { a: Int }'))).toThrow(
      'No object type Missing to select from',
    );
  });
});

describe('field sets', () => {
  it('print on one line and parse back to the same selections', () => {
    const fields = 'consentedPartners mindsparkBehaviour { partner categories { category } }';
    expect(printFieldSet(parseFieldSet(fields))).toBe(fields);
  });
});
