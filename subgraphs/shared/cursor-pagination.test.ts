import { GraphQLError } from 'graphql';
import { cursorCodec, newestFirstPage, pageOf, timeOrderedCursorCodec } from './cursor-pagination.js';

describe('pageOf', () => {
  const cursorOf = (row: { id: string }) => `c-${row.id}`;

  it('keeps `first` rows and says a next page exists when the store returned one more', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(pageOf(rows, 2, cursorOf)).toEqual({
      edges: [
        { cursor: 'c-a', node: { id: 'a' } },
        { cursor: 'c-b', node: { id: 'b' } },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'c-b' },
    });
  });

  it('ends the list when the store returned no more than `first` rows, and has no end cursor when empty', () => {
    expect(pageOf([{ id: 'a' }], 2, cursorOf).pageInfo).toEqual({ hasNextPage: false, endCursor: 'c-a' });
    expect(pageOf([], 2, cursorOf)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('timeOrderedCursorCodec', () => {
  const codec = timeOrderedCursorCodec('points');
  const at = new Date('2026-06-15T04:00:00.000Z');

  it('gives back the time and the whole id, bars included', () => {
    expect(codec.decode(codec.encode(at, 'inkwell:evt|1'))).toEqual({ at, id: 'inkwell:evt|1' });
  });

  it('reads the cursors a plain codec of the same list wrote as `time|id`', () => {
    expect(codec.decode(cursorCodec('points').encode(`${at.toISOString()}|e-1`))).toEqual({ at, id: 'e-1' });
  });

  it.each([
    ['a cursor of another list', timeOrderedCursorCodec('redemptions').encode(at, 'r-1')],
    ['a cursor without a time', cursorCodec('points').encode('e-1')],
    ['a cursor without an id', cursorCodec('points').encode(`${at.toISOString()}|`)],
  ])('refuses %s as BAD_USER_INPUT', (_case, cursor) => {
    let error: unknown;
    try {
      codec.decode(cursor);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toContain('`after` is not a cursor of the points list');
  });
});

describe('newestFirstPage', () => {
  const codec = timeOrderedCursorCodec('points');
  const at = new Date('2026-06-15T04:00:00.000Z');
  const rows = [
    { _id: 'e-3', at },
    { _id: 'e-2', at },
    { _id: 'e-1', at: new Date('2026-06-14T04:00:00.000Z') },
  ];

  it('reads one row more than asked after the decoded cursor, and pages them', async () => {
    const reads: unknown[] = [];
    const page = await newestFirstPage(
      { first: 2, after: codec.encode(at, 'e-4') },
      codec,
      (row: (typeof rows)[number]) => row.at,
      async (first, after) => {
        reads.push({ first, after });
        return rows.slice(0, first + 1);
      },
    );
    expect(reads).toEqual([{ first: 2, after: { at, id: 'e-4' } }]);
    expect(page.edges.map((e) => e.node._id)).toEqual(['e-3', 'e-2']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: codec.encode(at, 'e-2') });
  });

  it('reads from the start without a cursor and refuses a page size out of range', async () => {
    const read = jest.fn(async () => rows);
    await newestFirstPage({ first: 5 }, codec, (row: (typeof rows)[number]) => row.at, read);
    expect(read).toHaveBeenCalledWith(5, undefined);
    await expect(
      newestFirstPage({ first: 0 }, codec, (row: (typeof rows)[number]) => row.at, read),
    ).rejects.toThrow('`first` must be between 1 and');
  });
});
