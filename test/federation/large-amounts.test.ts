import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import { dayKey } from '../../subgraphs/shared/domain/behaviour.js';
import type { TestFederation } from '../federation-harness.js';
import { TEST_AUTH, startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes, postGraphQL } from './graphql-responses.js';

/**
 * docs/architecture.md §5: sums of money and points pass 2^31 − 1 (GraphQL's Int), so they travel as MinorUnits and
 * Points. The values are written straight to the stores: ingest has its own per-event bounds.
 */
const BIG_ORDER = 2_147_483_648; // 2^31 fen: one order past Int
const AVAILABLE = 2_147_483_653; // spendable points past Int
const PENDING_EACH = 1_000_000_000; // three purchases of 1e11 fen, still in their return window

const WHALE = 'M900001';
const WHALE_ACCOUNT = 'MIW0000001';
const OVERFLOWING = 'M900002';

const DASHBOARD = `{ me {
  id
  mindspark {
    localTier
    recentOrders(first: 1) { orderId amount { amountMinor currency } refunded { amountMinor } }
  }
  profile { scoreBreakdown { spendPercentile } shareOfWallet { partner share } unavailablePartners }
  wallet { balance pending lifetimeEarned history(first: 10) { edges { node { kind points } } } }
} }`;

interface Dashboard {
  me: {
    id: string;
    mindspark: {
      localTier: string;
      recentOrders: {
        orderId: string;
        amount: { amountMinor: number; currency: string };
        refunded: { amountMinor: number };
      }[];
    };
    profile: {
      scoreBreakdown: { spendPercentile: number };
      shareOfWallet: { partner: string; share: number }[];
      unavailablePartners: string[];
    };
    wallet: {
      balance: number;
      pending: number;
      lifetimeEarned: number;
      history: { edges: { node: { kind: string; points: number } }[] };
    };
  };
}

describe('money and points past 2^31 through the gateway', () => {
  let fed: TestFederation;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 30 });
    const { now } = fed;
    const day = dayKey(now);
    // Members of their own, so that no seeded event reaches their wallets while the test reads them.
    await fed.stores.members.upsertMembers(
      [WHALE, OVERFLOWING].map((id, i) => ({
        id,
        displayName: 'Big Spender',
        joinedAt: now,
        links: [
          {
            partner: 'mindspark',
            partnerMemberId: `${WHALE_ACCOUNT}${i}`,
            linkedAt: now,
            consentGranted: true,
          },
        ],
      })),
    );
    await fed.stores.brands
      .get('mindspark')!
      .accounts.upsertAccounts([
        { brandMemberId: `${WHALE_ACCOUNT}0`, memberId: WHALE, displayName: 'Big Spender', joinedAt: now },
      ]);
    const brandDb = fed.dbs.brands.get('mindspark')!.connection;
    await brandDb.collection('orders').insertOne({
      _id: 'big-order' as never,
      brandMemberId: `${WHALE_ACCOUNT}0`,
      memberId: WHALE,
      amountMinor: BIG_ORDER,
      refundedMinor: 0,
      remainingMinor: BIG_ORDER,
      purchaseEventId: 'big-purchase',
      refundEventIds: [],
      currency: 'CNY',
      category: 'programming',
      jointCategory: 'technology',
      occurredAt: now,
    });
    await brandDb.collection('accounts').updateOne(
      { _id: `${WHALE_ACCOUNT}0` as never },
      {
        $set: {
          [`days.${day}`]: {
            purchaseCount: 1,
            spendMinor: BIG_ORDER,
            categories: { technology: { purchaseCount: 1, spendMinor: BIG_ORDER } },
          },
          firstPurchaseAt: now,
          lifetimeSpendMinor: BIG_ORDER,
        },
      },
    );
    const past = new Date(now.getTime() - 86_400_000);
    const future = new Date(now.getTime() + 7 * 86_400_000);
    // The wallet's own write path: lots, balances and ledger entries as the points consumer leaves them.
    const wallet = fed.federation.benefits.wallet;
    const earn = (memberId: string, id: string, points: number, availableAt: Date) =>
      wallet.earnOperation({
        key: `mindspark:${id}`,
        memberId,
        partner: 'mindspark',
        points,
        occurredAt: now,
        availableAt,
        orderRef: null,
        sourceEventId: id,
      });
    await wallet.applyActivity(WHALE, [
      earn(WHALE, 'whale-available', AVAILABLE, past),
      ...[1, 2, 3].map((n) => earn(WHALE, `whale-pending-${n}`, PENDING_EACH, future)),
    ]);
    // 2 × (2^52 + 1) = 2^53 + 2: a double, but not a safe integer.
    await wallet.applyActivity(
      OVERFLOWING,
      [1, 2].map((n) => earn(OVERFLOWING, `overflow-${n}`, 2 ** 52 + 1, past)),
    );
  });

  afterAll(async () => {
    await fed?.stop();
  });

  it('renders an order of 2^31 fen and a wallet past 2^31 points exactly', async () => {
    const token = await fed.token({ role: 'member', memberId: WHALE });
    const { status, body } = await fed.query(DASHBOARD, { token });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const { me } = dataOf<Dashboard>(body);
    expect(me.id).toBe(WHALE);
    expect(me.mindspark.recentOrders).toEqual([
      {
        orderId: 'big-order',
        amount: { amountMinor: BIG_ORDER, currency: 'CNY' },
        refunded: { amountMinor: 0 },
      },
    ]);
    expect(me.mindspark.localTier).toBe('Mentor');
    expect(me.wallet.balance).toBe(AVAILABLE);
    expect(me.wallet.pending).toBe(3 * PENDING_EACH);
    expect(me.wallet.lifetimeEarned).toBe(AVAILABLE + 3 * PENDING_EACH);
    expect(me.wallet.history.edges.map((e) => e.node.points).sort()).toEqual(
      [AVAILABLE, PENDING_EACH, PENDING_EACH, PENDING_EACH].sort(),
    );
  });

  it('carries a spend past 2^31 from the brand to the cross-brand profile (@requires)', async () => {
    const token = await fed.token({ role: 'member', memberId: WHALE });
    const { me } = dataOf<Dashboard>((await fed.query(DASHBOARD, { token })).body);
    // A summary the brand could not send would leave mindspark out as unavailable.
    expect(me.profile.unavailablePartners).toEqual([]);
    expect(me.profile.shareOfWallet).toEqual([{ partner: 'mindspark', share: 1 }]);
    expect(me.profile.scoreBreakdown.spendPercentile).toBe(100);
  });

  it('sends the brand’s behaviour summary with the exact spend', async () => {
    const internal = await signInternalToken(
      { role: 'admin' },
      TEST_AUTH.internalTokenSecret,
      'large-amounts',
    );
    const response = await postGraphQL(
      fed.federation.subgraphUrls.mindspark,
      // The key names the linked account and the purposes consented for mindspark (schema/brand/consent.graphql).
      `{ _entities(representations: [{ __typename: "Member", id: "${WHALE}", mindsparkConsent: ["CROSS_BRAND_PROFILE"], mindsparkAccount: "${WHALE_ACCOUNT}0" }]) {
        ... on Member { mindsparkBehaviour { spendMinor categories { category spendMinor } } }
      } }`,
      { [INTERNAL_TOKEN_HEADER]: internal },
    );
    expect(response.body?.errors).toBeUndefined();
    expect(response.body?.data).toEqual({
      _entities: [
        {
          mindsparkBehaviour: {
            spendMinor: BIG_ORDER,
            categories: [{ category: 'technology', spendMinor: BIG_ORDER }],
          },
        },
      ],
    });
  });

  it('refuses a wallet sum beyond 2^53 with AMOUNT_OUT_OF_RANGE instead of a rounded number', async () => {
    const token = await fed.token({ role: 'member', memberId: OVERFLOWING });
    const { body } = await fed.query('{ me { id wallet { balance } } }', { token });
    expect(errorCodes(body)).toEqual(['AMOUNT_OUT_OF_RANGE']);
    expect(body.errors?.[0].message).toContain('cannot be sent exactly');
    expect(JSON.stringify(body.data)).not.toContain('9007199254740994');
  });
});
