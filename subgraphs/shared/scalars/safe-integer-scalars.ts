import type { ValueNode } from 'graphql';
import { GraphQLScalarType, Kind, print } from 'graphql';
import { AppError, badInput } from '../errors.js';

/**
 * ±(2^53 − 1): every integer in this range is exactly a double, so a JSON number carries it unchanged to
 * every client, JavaScript included. GraphQL's `Int` stops at 2^31 − 1, which a member's spend in fen or a
 * points wallet can pass (docs/architecture.md §5).
 */
export const SAFE_INTEGER_LIMIT = Number.MAX_SAFE_INTEGER;

const shown = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
const describe = (value: unknown): string =>
  shown(
    typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : (JSON.stringify(value) ?? String(value)),
  );

/** `bigint` (a 64-bit count a driver may return) within the range, as a number; anything else unchanged. */
const asNumber = (value: unknown): unknown =>
  typeof value === 'bigint' && value >= -SAFE_INTEGER_LIMIT && value <= SAFE_INTEGER_LIMIT
    ? Number(value)
    : value;

const isSafeInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

/**
 * An integer scalar serialised as a JSON number within ±(2^53 − 1). Input outside it (or not a whole
 * number) is a `BAD_USER_INPUT`; output outside it is an `AMOUNT_OUT_OF_RANGE` error on the field, never a
 * rounded number.
 */
function safeIntegerScalar(name: string, unit: string): GraphQLScalarType<number, number> {
  const rule = `${name} is a whole number of ${unit} between -${SAFE_INTEGER_LIMIT} and ${SAFE_INTEGER_LIMIT}`;
  return new GraphQLScalarType<number, number>({
    name,
    serialize(output) {
      const value = asNumber(output);
      if (isSafeInteger(value)) return value;
      throw new AppError(
        'AMOUNT_OUT_OF_RANGE',
        `${rule}; this one (${describe(output)}) cannot be sent exactly.`,
      );
    },
    parseValue(input) {
      if (isSafeInteger(input)) return input;
      throw badInput(`${rule}; got ${describe(input)}.`);
    },
    parseLiteral(ast: ValueNode) {
      // Number() of a long literal rounds; the rounded value is never safe when the literal was out of range.
      const value = ast.kind === Kind.INT ? Number(ast.value) : undefined;
      if (isSafeInteger(value)) return value;
      throw badInput(`${rule}; got ${shown(print(ast))}.`);
    },
  });
}

/** Money in integer minor units (fen, cents): every amount, total and sum of money in the graph. */
export const MinorUnitsScalar = safeIntegerScalar('MinorUnits', 'minor units');

/** A quantity of joint points: balances, sums and signed ledger entries. */
export const PointsScalar = safeIntegerScalar('Points', 'points');
