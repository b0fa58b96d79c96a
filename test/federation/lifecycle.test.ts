import { useTestFederation } from '../federation-harness.js';
import { answeredDataOf, dataOf, errorCodes } from './graphql-responses.js';

interface Linked {
  id: string;
  partners: { partner: string; partnerMemberId: string }[];
}

/** Enrolment from a brand account, linking with a partner-issued code, and unlinking, through the gateway. */
describe('enrolment and account linking through the gateway', () => {
  const fed = useTestFederation({ members: 120 });
  /** Brand accounts of customers who never joined the programme (the seed has some at every brand). */
  const unlinked = new Map<string, string[]>();

  beforeAll(async () => {
    for (const partner of ['inkwell', 'starlight']) {
      const accounts = await fed.dbs.brands
        .get(partner)!
        .connection.collection<{ _id: string }>('accounts')
        .find({ memberId: null })
        .limit(4)
        .toArray();
      unlinked.set(
        partner,
        accounts.map((a) => a._id),
      );
    }
  });

  const service = (partner: string) => fed.token({ role: 'partner_service', partner });

  async function enrol(partner: string, account: string) {
    const { body } = await fed.query(
      `mutation { enrol(partner: "${partner}", partnerMemberId: "${account}", displayName: "Ada Chen") { created member { id } } }`,
      { token: await service(partner) },
    );
    expect(body.errors).toBeUndefined();
    return dataOf<{ enrol: { created: boolean; member: { id: string } } }>(body).enrol;
  }

  async function issueCode(partner: string, account: string): Promise<string> {
    const { body } = await fed.query(
      `mutation { issueLinkCode(partner: "${partner}", partnerMemberId: "${account}") { code expiresAt } }`,
      { token: await service(partner) },
    );
    expect(body.errors).toBeUndefined();
    return dataOf<{ issueLinkCode: { code: string } }>(body).issueLinkCode.code;
  }

  const link = async (memberId: string, partner: string, code: string) =>
    fed.query(
      `mutation { linkAccount(partner: "${partner}", code: "${code}") { id partners { partner partnerMemberId } } }`,
      {
        token: await fed.token({ role: 'member', memberId }),
      },
    );

  it('enrols from a brand account once: again, or twice at the same time, answers the same member', async () => {
    const [account, raced] = unlinked.get('starlight')!;
    const first = await enrol('starlight', account);
    expect(first.created).toBe(true);
    const again = await enrol('starlight', account);
    expect(again).toEqual({ created: false, member: first.member });

    const both = await Promise.all([enrol('starlight', raced), enrol('starlight', raced)]);
    expect(both[0].member.id).toBe(both[1].member.id);
    expect(both.filter((e) => e.created)).toHaveLength(1);

    // The new member reads their own link, with no consent given yet, and their brand account.
    const token = await fed.token({ role: 'member', memberId: first.member.id });
    const { me } = answeredDataOf<{
      me: {
        partners: { partner: string; consents: { granted: boolean }[] }[];
        starlight: { brandMemberId: string };
      };
    }>(
      await fed.query(
        '{ me { partners { partner partnerMemberId consents { granted } } starlight { brandMemberId } } }',
        { token },
      ),
    );
    expect(me.partners).toEqual([
      {
        partner: 'starlight',
        partnerMemberId: account,
        consents: [{ granted: false }, { granted: false }, { granted: false }],
      },
    ]);
    expect(me.starlight.brandMemberId).toBe(account);
  });

  it('links an account with a partner-issued code, idempotently, and unlinks it', async () => {
    const member = (await enrol('starlight', unlinked.get('starlight')![2])).member.id;
    const account = unlinked.get('inkwell')![0];
    const code = await issueCode('inkwell', account);
    const first = await link(member, 'inkwell', code.toLowerCase());
    expect(first.body.errors).toBeUndefined();
    const linked = dataOf<{ linkAccount: Linked }>(first.body).linkAccount;
    expect(linked.partners).toContainEqual({ partner: 'inkwell', partnerMemberId: account });
    const again = await link(member, 'inkwell', code);
    expect(dataOf<{ linkAccount: Linked }>(again.body).linkAccount).toEqual(linked);

    const token = await fed.token({ role: 'member', memberId: member });
    const read = async () => {
      const { body } = await fed.query('{ me { inkwell { brandMemberId } } }', { token });
      expect(body.errors).toBeUndefined();
      return dataOf<{ me: { inkwell: { brandMemberId: string } | null } }>(body).me.inkwell;
    };
    // The brand serves the account the programme links, from the next query on.
    expect(await read()).toEqual({ brandMemberId: account });
    for (let i = 0; i < 2; i++) {
      const { body } = await fed.query(
        'mutation { unlinkAccount(partner: "inkwell") { partners { partner } } }',
        {
          token,
        },
      );
      expect(body.errors).toBeUndefined();
      expect(
        dataOf<{ unlinkAccount: { partners: { partner: string }[] } }>(body).unlinkAccount.partners,
      ).toEqual([{ partner: 'starlight' }]);
    }
    expect(await read()).toBeNull();
  });

  it('links one account to one member only, when two members race for it', async () => {
    const account = unlinked.get('inkwell')![1];
    const [a, b] = await Promise.all([
      enrol('starlight', unlinked.get('starlight')![3]),
      enrol('starlight', `${unlinked.get('starlight')![3]}x`),
    ]);
    const [codeA, codeB] = await Promise.all([issueCode('inkwell', account), issueCode('inkwell', account)]);
    const results = await Promise.all([
      link(a.member.id, 'inkwell', codeA),
      link(b.member.id, 'inkwell', codeB),
    ]);
    const outcomes = results.map((r) => (r.body.errors ? errorCodes(r.body).join() : 'linked')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'linked']);
    const holders = await fed.dbs.profile.connection
      .collection('members')
      .countDocuments({ accountKeys: `inkwell:${account}` });
    expect(holders).toBe(1);
  });

  it('refuses a used, unknown or malformed code, and vouching for another partner', async () => {
    const member = (await enrol('inkwell', unlinked.get('inkwell')![2])).member.id;
    const other = (await enrol('inkwell', unlinked.get('inkwell')![3])).member.id;
    const code = await issueCode('starlight', `${unlinked.get('starlight')![0]}y`);
    expect((await link(member, 'starlight', code)).body.errors).toBeUndefined();
    expect(errorCodes((await link(other, 'starlight', code)).body)).toEqual(['CONFLICT']);
    expect(errorCodes((await link(other, 'starlight', 'ZZZZZZZZ')).body)).toEqual(['NOT_FOUND']);
    expect(errorCodes((await link(other, 'inkwell', code)).body)).toEqual(['NOT_FOUND']);
    expect(errorCodes((await link(other, 'starlight', 'short')).body)).toEqual(['BAD_USER_INPUT']);
    const foreign = await fed.query(
      'mutation { issueLinkCode(partner: "starlight", partnerMemberId: "ST1") { code } }',
      { token: await service('inkwell') },
    );
    expect(errorCodes(foreign.body)).toEqual(['FORBIDDEN']);
    const staff = await fed.query(
      'mutation { enrol(partner: "inkwell", partnerMemberId: "IN1", displayName: "x") { created } }',
      {
        token: await fed.token({ role: 'partner_staff', partner: 'inkwell' }),
      },
    );
    expect(errorCodes(staff.body)).toEqual(['FORBIDDEN']);
  });
});
