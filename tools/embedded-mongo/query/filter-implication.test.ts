import type { Document } from 'bson';
import { implies, parseFilter } from './filter-implication.js';

const holds = (query: Document, filter: Document) => implies(parseFilter(query), parseFilter(filter));

describe('a query implies a partial filter (the server rules for using a partial index)', () => {
  it('equality implies a range of the same type that contains it, never one of another type', () => {
    expect(holds({ a: 4 }, { a: { $lte: 5 } })).toBe(true);
    expect(holds({ a: 5 }, { a: { $lt: 5 } })).toBe(false);
    expect(holds({ a: 'x' }, { a: { $gt: '' } })).toBe(true);
    expect(holds({ a: '' }, { a: { $gt: '' } })).toBe(false);
    expect(holds({ a: 4 }, { a: { $gt: '' } })).toBe(false);
    expect(holds({ a: null }, { a: { $gt: '' } })).toBe(false);
  });

  it('a range implies a wider range on the same side only', () => {
    expect(holds({ a: { $gt: 6 } }, { a: { $gte: 5 } })).toBe(true);
    expect(holds({ a: { $gte: 5 } }, { a: { $gt: 5 } })).toBe(false);
    expect(holds({ a: { $lt: 5 } }, { a: { $lte: 5 } })).toBe(true);
    expect(holds({ a: { $gte: 6 } }, { a: 7 })).toBe(false);
    expect(holds({ a: { $lt: 3 } }, { a: { $gt: 1 } })).toBe(false);
  });

  it('$in implies a filter when every listed value does', () => {
    expect(holds({ a: { $in: ['x', 'y'] } }, { a: { $gt: '' } })).toBe(true);
    expect(holds({ a: { $in: ['x', ''] } }, { a: { $gt: '' } })).toBe(false);
    expect(holds({ a: { $in: [/x/] } }, { a: { $gt: '' } })).toBe(false);
    expect(holds({ a: 2 }, { a: { $in: [1, 2] } })).toBe(true);
    expect(holds({ a: { $in: [1, 2] } }, { a: { $in: [1, 2, 3] } })).toBe(false);
  });

  it('$type is implied only by the same $type: an equality on a string does not imply { $type: "string" }', () => {
    expect(holds({ a: 'x' }, { a: { $type: 'string' } })).toBe(false);
    expect(holds({ a: { $in: ['x'] } }, { a: { $type: 'string' } })).toBe(false);
    expect(holds({ a: 'x', b: 1 }, { a: { $type: 'string' } })).toBe(false);
    expect(holds({ a: { $type: 'string' }, b: 1 }, { a: { $type: 'string' } })).toBe(true);
  });

  it('$exists: true is implied by a non-null comparison, a null-free $in, $ne: null and the presence operators', () => {
    expect(holds({ a: 1 }, { a: { $exists: true } })).toBe(true);
    expect(holds({ a: null }, { a: { $exists: true } })).toBe(false);
    expect(holds({ a: { $in: [1, null] } }, { a: { $exists: true } })).toBe(false);
    expect(holds({ a: { $ne: null } }, { a: { $exists: true } })).toBe(true);
    expect(holds({ a: { $ne: 1 } }, { a: { $exists: true } })).toBe(false);
    expect(holds({ a: { $type: 'string' } }, { a: { $exists: true } })).toBe(true);
    expect(holds({ a: /x/ }, { a: { $exists: true } })).toBe(true);
    expect(holds({ a: { $exists: false } }, { a: { $exists: true } })).toBe(false);
    expect(holds({ b: 1 }, { a: { $exists: true } })).toBe(false);
  });

  it('a query $and implies a clause when one of its parts does; a filter $and needs every clause', () => {
    expect(holds({ guardHeld: true, appliedAt: { $lte: new Date(0) } }, { guardHeld: true })).toBe(true);
    expect(holds({ appliedAt: { $lte: new Date(0) } }, { guardHeld: true })).toBe(false);
    expect(holds({ a: 1, b: 2 }, { a: { $gte: 1 }, b: { $exists: true } })).toBe(true);
    expect(holds({ a: 1 }, { a: { $gte: 1 }, b: { $exists: true } })).toBe(false);
    expect(holds({ $and: [{ a: 1 }, { b: 2 }] }, { b: { $gt: 0 } })).toBe(true);
  });

  it('a query $or implies a filter when every branch does; a filter $or needs one branch', () => {
    expect(holds({ $or: [{ a: 1 }, { a: 2 }] }, { a: { $gte: 1 } })).toBe(true);
    expect(holds({ $or: [{ a: 1 }, { b: 2 }] }, { a: { $gte: 1 } })).toBe(false);
    expect(holds({ a: 5, b: 5 }, { $or: [{ a: 3 }, { $and: [{ a: 5 }, { b: 5 }] }] })).toBe(true);
  });

  it('values compare across numeric widths and dates by instant, and NaN only implies NaN', () => {
    expect(holds({ n: 3 }, { n: { $gt: 2.5 } })).toBe(true);
    expect(holds({ at: new Date(2000) }, { at: { $gte: new Date(1000) } })).toBe(true);
    expect(holds({ at: new Date(2000) }, { at: { $gte: 1000 } })).toBe(false);
    expect(holds({ n: NaN }, { n: { $gte: NaN } })).toBe(true);
    expect(holds({ n: NaN }, { n: { $gt: 0 } })).toBe(false);
  });

  it('an empty filter is implied by everything, and an empty query implies only that', () => {
    expect(holds({ a: 1 }, {})).toBe(true);
    expect(holds({}, { a: { $exists: true } })).toBe(false);
  });
});
