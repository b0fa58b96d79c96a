import type { AtRiskPosition, MemberFeaturesDocument } from './intelligence-store.js';
import { decodeAtRiskCursor, encodeAtRiskCursor, membersAtRiskPage } from './members-at-risk.js';

/** Ten members at risk as of training; M03 and M06 have since stopped qualifying (e.g. revoked consent). */
const LIST: MemberFeaturesDocument[] = [
  ['M01', 900],
  ['M02', 800],
  ['M03', 800],
  ['M04', 800],
  ['M05', 500],
  ['M06', 400],
  ['M07', 300],
  ['M08', 300],
  ['M09', 200],
  ['M10', 100],
].map(([id, value]) => ({
  _id: id as string,
  modelVersion: 'v1',
  purchaseDays: [],
  churn: { probabilityAlive: 0.2, spendMinor: 0, valueAtRiskMinor: value as number, highValueAtRisk: true },
}));
const NO_LONGER = new Set(['M03', 'M06']);

/** The store's keyset read over LIST (already in the index's order), counting its calls. */
function fakeStore() {
  const reads: { limit: number; after: AtRiskPosition | null }[] = [];
  const read = async (limit: number, after: AtRiskPosition | null) => {
    reads.push({ limit, after });
    const from = after
      ? LIST.findIndex(
          (d) =>
            d.churn!.valueAtRiskMinor < after.valueAtRiskMinor ||
            (d.churn!.valueAtRiskMinor === after.valueAtRiskMinor && d._id > after.memberId),
        )
      : 0;
    return from < 0 ? [] : LIST.slice(from, from + limit);
  };
  const assess = async (candidates: MemberFeaturesDocument[]) =>
    candidates.map((c) => (NO_LONGER.has(c._id) ? null : c._id));
  return { reads, read, assess };
}

describe('membersAtRiskPage', () => {
  it('pages through the list in its order as of training, leaving out who no longer qualifies', async () => {
    const store = fakeStore();
    const seen: string[] = [];
    let after: AtRiskPosition | null = null;
    const pages: boolean[] = [];
    for (;;) {
      const page = await membersAtRiskPage(3, after, store.read, store.assess);
      seen.push(...page.edges.map((e) => e.node));
      pages.push(page.pageInfo.hasNextPage);
      if (!page.pageInfo.hasNextPage) break;
      after = decodeAtRiskCursor(page.pageInfo.endCursor!);
    }
    expect(seen).toEqual(['M01', 'M02', 'M04', 'M05', 'M07', 'M08', 'M09', 'M10']);
    expect(pages).toEqual([true, true, false]);
  });

  it('fills a page past members left out, reading only what it lacks', async () => {
    const store = fakeStore();
    const page = await membersAtRiskPage(3, null, store.read, store.assess);
    expect(page.edges.map((e) => e.node)).toEqual(['M01', 'M02', 'M04']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[2].cursor });
    // 4 asked (a page and one more); M03 left out, so one more read for the one still missing.
    expect(store.reads.map((r) => r.limit)).toEqual([4, 1]);
    expect(store.reads[1].after).toEqual({ valueAtRiskMinor: 800, memberId: 'M04' });
  });

  it('answers an empty page at the end of the list', async () => {
    const store = fakeStore();
    const page = await membersAtRiskPage(
      5,
      { valueAtRiskMinor: 100, memberId: 'M10' },
      store.read,
      store.assess,
    );
    expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('round-trips a cursor and refuses one of another list as bad input', () => {
    const position = { valueAtRiskMinor: 123_456, memberId: 'M:7' };
    expect(decodeAtRiskCursor(encodeAtRiskCursor(position))).toEqual(position);
    const otherList = Buffer.from('member:M01', 'utf8').toString('base64url');
    const noValue = Buffer.from('membersAtRisk:M01', 'utf8').toString('base64url');
    for (const cursor of [otherList, noValue]) {
      expect(() => decodeAtRiskCursor(cursor)).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
  });
});
