import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { useTestFederation } from '../federation-harness.js';
import { computedBeforeAll } from '../computed-before-all.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

/** Managing campaigns through the gateway: who may do what, validation, the audit trail, and me.campaigns. */
const CREATE = `mutation ($input: CampaignInput!) { createCampaign(input: $input) { id partner status version } }`;
const DAY_MS = 86_400_000;

const STARTS_AT = new Date(Date.now() - DAY_MS).toISOString();
const ENDS_AT = new Date(Date.now() + 7 * DAY_MS).toISOString();

const input = (fields: Record<string, unknown> = {}) => ({
  name: 'Spring yoga week',
  partner: 'pulsefit',
  startsAt: STARTS_AT,
  endsAt: ENDS_AT,
  activities: ['PURCHASE', 'INTERACTION'],
  bonusPoints: 20,
  ...fields,
});

describe('managing campaigns in the graph', () => {
  const fed = useTestFederation({ members: 20 });
  const tokens = computedBeforeAll(async () => ({
    admin: await fed.token({ role: 'admin', subject: 'ops-7' }),
    pulsefitStaff: await fed.token({ role: 'partner_staff', partner: 'pulsefit', subject: 'staff-pf' }),
    mindsparkStaff: await fed.token({ role: 'partner_staff', partner: 'mindspark', subject: 'staff-ms' }),
    member: await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID }),
  }));

  const create = (token: string, fields: Record<string, unknown> = {}) =>
    fed.query(CREATE, { token, variables: { input: input(fields) } });

  it('lets partner staff manage their own partner’s campaigns only, and operators any', async () => {
    const own = await create(tokens.pulsefitStaff);
    expect(errorCodes(own.body)).toEqual([]);
    const id = dataOf<{ createCampaign: { id: string } }>(own.body).createCampaign.id;

    expect(errorCodes((await create(tokens.mindsparkStaff)).body)).toEqual(['FORBIDDEN']);
    expect(errorCodes((await create(tokens.pulsefitStaff, { partner: null })).body)).toEqual(['FORBIDDEN']);
    expect(errorCodes((await create(tokens.member)).body)).toEqual(['FORBIDDEN']);
    expect(errorCodes((await create(tokens.admin, { partner: null, name: 'Joint week' })).body)).toEqual([]);

    const pause = `mutation ($id: ID!) { pauseCampaign(id: $id) { status } }`;
    expect(
      errorCodes((await fed.query(pause, { token: tokens.mindsparkStaff, variables: { id } })).body),
    ).toEqual(['FORBIDDEN']);
    const paused = await fed.query(pause, { token: tokens.pulsefitStaff, variables: { id } });
    expect(dataOf<{ pauseCampaign: { status: string } }>(paused.body).pauseCampaign.status).toBe('PAUSED');
    expect(errorCodes((await fed.query(pause, { token: tokens.admin, variables: { id } })).body)).toEqual([
      'CONFLICT',
    ]);

    const list = `query ($partner: String, $first: Int, $after: String) {
      campaigns(partner: $partner, first: $first, after: $after) {
        edges { node { id partner } } pageInfo { hasNextPage endCursor } totalCount
      }
    }`;
    type Page = {
      campaigns: {
        edges: { node: { id: string; partner: string | null } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        totalCount: number;
      };
    };
    const mine = dataOf<Page>((await fed.query(list, { token: tokens.pulsefitStaff })).body).campaigns;
    expect(mine.edges.length).toBeGreaterThan(0);
    expect(mine.edges.every((e) => e.node.partner === 'pulsefit')).toBe(true);
    expect(
      errorCodes(
        (await fed.query(list, { token: tokens.mindsparkStaff, variables: { partner: 'pulsefit' } })).body,
      ),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes((await fed.query(list, { token: tokens.member })).body)).toEqual(['FORBIDDEN']);
    const all = dataOf<Page>((await fed.query(list, { token: tokens.admin })).body).campaigns;
    expect(all.edges.some((e) => e.node.partner === null)).toBe(true);

    // Page by page, one at a time: every campaign once, newest first, then no next page.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i <= all.totalCount; i++) {
      const page: Page['campaigns'] = dataOf<Page>(
        (await fed.query(list, { token: tokens.admin, variables: { first: 1, after } })).body,
      ).campaigns;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
    for (const first of [0, 101]) {
      expect(errorCodes((await fed.query(list, { token: tokens.admin, variables: { first } })).body)).toEqual(
        ['BAD_USER_INPUT'],
      );
    }
    expect(
      errorCodes(
        (await fed.query(list, { token: tokens.admin, variables: { after: 'bm90LWEtY3Vyc29y' } })).body,
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, the rule and the path, and writes nothing', async () => {
    const before = await fed.dbs.benefits.connection.collection('campaigns').countDocuments();
    const badRule = await create(tokens.admin, {
      audienceRule: '{"all":[{"fact":"tier","operator":"in","value":"GOLD"}]}',
    });
    expect(errorCodes(badRule.body)).toEqual(['BAD_USER_INPUT']);
    expect(badRule.body.errors![0].message).toMatch(
      /^input\.audienceRule: Rule "Spring yoga week": at all\.0\.value: /,
    );
    const badWindow = await create(tokens.admin, { endsAt: new Date(Date.now() - 2 * DAY_MS).toISOString() });
    expect(badWindow.body.errors![0]).toMatchObject({
      message: expect.stringMatching(/^input\.endsAt: /),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const otherPartnersBenefit = await create(tokens.admin, { unlocksBenefit: 'MS-MASTERCLASS' });
    expect(otherPartnersBenefit.body.errors![0].message).toMatch(/MS-MASTERCLASS is mindspark's/);
    expect(errorCodes((await create(tokens.admin, { partner: 'nobody' })).body)).toEqual(['BAD_USER_INPUT']);
    expect(await fed.dbs.benefits.connection.collection('campaigns').countDocuments()).toBe(before);
  });

  it('keeps an audit trail of who changed what, when, before and after; a started campaign keeps its terms', async () => {
    const created = dataOf<{ createCampaign: { id: string } }>(
      (await create(tokens.pulsefitStaff, { budgetPoints: 1_000 })).body,
    ).createCampaign;
    const update = `mutation ($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { name version } }`;
    const renamed = await fed.query(update, {
      token: tokens.pulsefitStaff,
      variables: { id: created.id, input: input({ name: 'Yoga week', budgetPoints: 5_000 }) },
    });
    expect(dataOf<{ updateCampaign: unknown }>(renamed.body).updateCampaign).toEqual({
      name: 'Yoga week',
      version: 2,
    });
    const retimed = await fed.query(update, {
      token: tokens.pulsefitStaff,
      variables: { id: created.id, input: input({ bonusPoints: 99, budgetPoints: 5_000 }) },
    });
    expect(errorCodes(retimed.body)).toEqual(['CONFLICT']);
    expect(retimed.body.errors![0].message).toMatch(
      /has started: only its name and budgets can change \(not actions\)/,
    );
    await fed.query(`mutation ($id: ID!) { endCampaign(id: $id) { status } }`, {
      token: tokens.admin,
      variables: { id: created.id },
    });

    const audit = await fed.query(
      `query ($id: ID!) { campaign(id: $id) { status audit { action actorRole actorSubject actorPartner at before after } } }`,
      { token: tokens.pulsefitStaff, variables: { id: created.id } },
    );
    const trail = dataOf<{
      campaign: {
        status: string;
        audit: {
          action: string;
          actorRole: string;
          actorSubject: string;
          before: string | null;
          after: string;
        }[];
      };
    }>(audit.body).campaign;
    expect(trail.status).toBe('ENDED');
    expect(trail.audit.map((e) => [e.action, e.actorRole, e.actorSubject])).toEqual([
      ['END', 'admin', 'ops-7'],
      ['UPDATE', 'partner_staff', 'staff-pf'],
      ['CREATE', 'partner_staff', 'staff-pf'],
    ]);
    const update1 = trail.audit[1];
    expect(JSON.parse(update1.before!)).toMatchObject({
      name: 'Spring yoga week',
      budget: { totalPoints: 1_000 },
    });
    expect(JSON.parse(update1.after)).toMatchObject({ name: 'Yoga week', budget: { totalPoints: 5_000 } });
    expect(trail.audit[2].before).toBeNull();
    // A member reaching a campaign cannot read its audit or results.
    expect(
      errorCodes(
        (
          await fed.query(`query ($id: ID!) { campaign(id: $id) { id } }`, {
            token: tokens.member,
            variables: { id: created.id },
          })
        ).body,
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('shows a member the campaigns they qualify for now, with the reason and the time left', async () => {
    const everyone = dataOf<{ createCampaign: { id: string } }>(
      (
        await create(tokens.admin, {
          partner: null,
          name: 'Double interactions',
          bonusPoints: null,
          pointsMultiplier: 2,
          activities: ['INTERACTION'],
        })
      ).body,
    ).createCampaign;
    const nobody = dataOf<{ createCampaign: { id: string } }>(
      (
        await create(tokens.admin, {
          partner: null,
          name: 'Score over 100',
          audienceRule: JSON.stringify({ fact: 'compositeScore', operator: 'greaterThan', value: 100 }),
        })
      ).body,
    ).createCampaign;
    const mine = await fed.query('{ me { campaigns { campaign { id name } reason secondsLeft endsAt } } }', {
      token: tokens.member,
    });
    expect(errorCodes(mine.body)).toEqual([]);
    const campaigns = dataOf<{
      me: { campaigns: { campaign: { id: string }; reason: string; secondsLeft: number }[] };
    }>(mine.body).me.campaigns;
    const shown = campaigns.find((c) => c.campaign.id === everyone.id);
    expect(shown?.reason).toBe(
      'Double interactions: ×2 points on interaction at every partner; it is open to every member.',
    );
    expect(shown?.secondsLeft).toBeGreaterThan(6 * 86_400);
    expect(campaigns.some((c) => c.campaign.id === nobody.id)).toBe(false);
    // The campaigns the bundle reads are held in memory: ending one drops them at once.
    await fed.query(`mutation ($id: ID!) { endCampaign(id: $id) { status } }`, {
      token: tokens.admin,
      variables: { id: everyone.id },
    });
    const after = await fed.query('{ me { campaigns { campaign { id } } } }', { token: tokens.member });
    expect(
      dataOf<{ me: { campaigns: { campaign: { id: string } }[] } }>(after.body).me.campaigns.map(
        (c) => c.campaign.id,
      ),
    ).not.toContain(everyone.id);
    const other = await fed.token({ role: 'member', memberId: 'M000002' });
    const denied = await fed.query(`{ member(id: "${DEMO_MEMBER_ID}") { campaigns { reason } } }`, {
      token: other,
    });
    expect(errorCodes(denied.body)).toContain('FORBIDDEN');
  });
});
