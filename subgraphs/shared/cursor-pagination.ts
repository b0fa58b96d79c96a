import { validatePageSize } from './argument-validation.js';
import { badInput } from './errors.js';

/** Opaque cursors over string ids of one list; a cursor from another list is refused with BAD_USER_INPUT. */
export interface CursorCodec {
  encode(id: string): string;
  decode(cursor: string): string;
}

export function cursorCodec(list: string): CursorCodec {
  const prefix = `${list}:`;
  return {
    encode: (id) => Buffer.from(prefix + id, 'utf8').toString('base64url'),
    decode: (cursor) => {
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      if (!text.startsWith(prefix) || text.length === prefix.length) {
        throw badInput(
          `\`after\` is not a cursor of the ${list} list; pass an endCursor you were given.`,
          'after',
        );
      }
      return text.slice(prefix.length);
    },
  };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/**
 * A page of a connection from up to `first + 1` rows in the list's order (the extra row tells whether a next
 * page exists); `cursorOf` gives a row's cursor.
 */
export function pageOf<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
): Omit<Connection<T>, 'totalCount'> {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: page.length ? cursorOf(page[page.length - 1]) : null,
    },
  };
}

/** Builds a connection from up to `first + 1` rows sorted by id (the extra row tells whether a next page exists). */
export function toConnection<T extends { _id: string }>(
  rows: T[],
  first: number,
  totalCount: number,
  codec: CursorCodec,
): Connection<T> {
  return { ...pageOf(rows, first, (row) => codec.encode(row._id)), totalCount };
}

/** A cursor over a list sorted newest first by (time, id): both are in the cursor, so pages never skip a tie. */
export interface TimeOrderedCursorCodec {
  encode(at: Date, id: string): string;
  decode(cursor: string): { at: Date; id: string };
}

export function timeOrderedCursorCodec(list: string): TimeOrderedCursorCodec {
  const codec = cursorCodec(list);
  return {
    encode: (at, id) => codec.encode(`${at.toISOString()}|${id}`),
    decode: (cursor) => {
      const text = codec.decode(cursor);
      const bar = text.indexOf('|');
      const at = new Date(text.slice(0, bar));
      const id = text.slice(bar + 1);
      if (bar < 0 || Number.isNaN(at.getTime()) || !id) {
        throw badInput(
          `\`after\` is not a cursor of the ${list} list; pass an endCursor you were given.`,
          'after',
        );
      }
      return { at, id };
    },
  };
}

/** The filter of the page after `after` in a list sorted by `{ [timeField]: -1, _id: -1 }`. */
export function newestFirstAfter(
  timeField: string,
  after: { at: Date; id: string },
): Record<string, unknown> {
  return {
    $or: [{ [timeField]: { $lt: after.at } }, { [timeField]: after.at, _id: { $lt: after.id } }],
  };
}

/** The arguments of a paged list field. */
export interface PageArguments {
  first: number;
  after?: string | null;
}

/**
 * A page of a list kept newest first by (time, id): checks `first`, reads `first + 1` rows after the decoded
 * `after` cursor (the extra row tells whether a next page exists) and gives each row its cursor.
 */
export async function newestFirstPage<T extends { _id: string }>(
  args: PageArguments,
  codec: TimeOrderedCursorCodec,
  timeOf: (row: T) => Date,
  read: (first: number, after?: { at: Date; id: string }) => Promise<T[]>,
): Promise<Omit<Connection<T>, 'totalCount'>> {
  const first = validatePageSize(args.first);
  const rows = await read(first, args.after ? codec.decode(args.after) : undefined);
  return pageOf(rows, first, (row) => codec.encode(timeOf(row), row._id));
}
