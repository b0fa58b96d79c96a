import { cursorCodec } from '../../shared/cursor-pagination.js';
import { badInput } from '../../shared/errors.js';
import type { AtRiskPosition, MemberFeaturesDocument } from './intelligence-store.js';

const codec = cursorCodec('membersAtRisk');
const NOT_A_CURSOR = '`after` is not a cursor of the membersAtRisk list; pass an endCursor you were given.';

/** The cursor of a place in the list: the value at stake as of training and the member id. */
export function encodeAtRiskCursor(position: AtRiskPosition): string {
  return codec.encode(`${position.valueAtRiskMinor}:${position.memberId}`);
}

export function decodeAtRiskCursor(cursor: string): AtRiskPosition {
  const match = /^(\d+):(.+)$/.exec(codec.decode(cursor));
  const valueAtRiskMinor = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(valueAtRiskMinor)) throw badInput(NOT_A_CURSOR, 'after');
  return { valueAtRiskMinor, memberId: match[2] };
}

export interface AtRiskPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * One page of the operators' list of high-value members at risk. The list is in its order as of training
 * (value at stake, then id), read in keyset batches after `after`; each candidate is judged again as it is
 * read (`assess`: today's consent, the member still existing) and left out when it no longer qualifies, so
 * a page holds `first` members whenever that many still qualify, and a cursor stays valid across pages
 * whatever was left out before it.
 */
export async function membersAtRiskPage<T>(
  first: number,
  after: AtRiskPosition | null,
  read: (limit: number, after: AtRiskPosition | null) => Promise<MemberFeaturesDocument[]>,
  assess: (candidates: MemberFeaturesDocument[]) => Promise<(T | null)[]>,
): Promise<AtRiskPage<T>> {
  const edges: { cursor: string; node: T }[] = [];
  let position = after;
  // One extra member tells whether a next page exists.
  while (edges.length <= first) {
    const limit = first + 1 - edges.length;
    const candidates = await read(limit, position);
    const assessed = await assess(candidates);
    for (const [i, candidate] of candidates.entries()) {
      position = { valueAtRiskMinor: candidate.churn?.valueAtRiskMinor ?? 0, memberId: candidate._id };
      const node = assessed[i];
      if (node !== null && edges.length <= first) edges.push({ cursor: encodeAtRiskCursor(position), node });
    }
    if (candidates.length < limit) break;
  }
  const page = edges.slice(0, first);
  return {
    edges: page,
    pageInfo: { hasNextPage: edges.length > first, endCursor: page.at(-1)?.cursor ?? null },
  };
}
