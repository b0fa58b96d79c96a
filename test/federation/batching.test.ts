import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { tierForScore } from '../../subgraphs/shared/domain/tiers.js';
import { DatabaseCommandLog } from './database-commands.js';
import { dataOf } from './graphql-responses.js';

const PAGE = 50;
const PROFILES_PAGE = `{ members(first: ${PAGE}) { edges { node { id profile { compositeScore tier { code } } } } } }`;

interface ProfilesPage {
  members: { edges: { node: { id: string; profile: { compositeScore: number; tier: { code: string } } } }[] };
}

describe('entity batching: one database query per subgraph fetch', () => {
  let fed: TestFederation;
  let adminToken: string;
  let brandLogs: Map<string, DatabaseCommandLog>;

  beforeAll(async () => {
    fed = await startTestFederation({ members: 120 });
    // The brands' background work (outbox relay, recovery sweep) queries their databases on its own
    // schedule; stopped here, the counters see only what the GraphQL requests cause.
    for (const brand of fed.federation.brands.values())
      await Promise.all(brand.service.workers.map((w) => w.stop()));
    adminToken = await fed.token({ role: 'admin' });
    brandLogs = new Map([...fed.dbs.brands].map(([key, db]) => [key, new DatabaseCommandLog(db)]));
  });

  afterAll(async () => {
    await fed?.stop();
  });

  function resetCounters(): void {
    for (const [key, db] of fed.dbs.brands) {
      db.commands.reset();
      brandLogs.get(key)!.reset();
    }
  }

  it(`resolves ${PAGE} members' behaviour with exactly one query per brand database`, async () => {
    resetCounters();
    const { status, body } = await fed.query(PROFILES_PAGE, { token: adminToken });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);

    for (const [key, db] of fed.dbs.brands) {
      expect({ brand: key, commands: brandLogs.get(key)!.commands }).toEqual({
        brand: key,
        commands: ['find'],
      });
      expect({ brand: key, finds: db.commands.get('find') }).toEqual({ brand: key, finds: 1 });
    }
  });

  it('reads the page and then resolves its entity references with one query each in the profile database', async () => {
    const profileLog = new DatabaseCommandLog(fed.dbs.profile);
    const { body } = await fed.query(PROFILES_PAGE, { token: adminToken });
    expect(body.errors).toBeUndefined();
    // The page itself (rows and total count), which the profile's entity fetch of the same client request
    // resolves without reading the members again, and one batched lookup of the members' stored tiers
    // (profile.tier is the tier the scheduled evaluation stored).
    // Left out: the profile's background work on its own schedule (the access log of operators' reads,
    // written in buffered batches, and the member-lifecycle outbox relay's poll).
    const background = new Set(['insert accessLog', 'find lifecycleOutbox']);
    const reads = profileLog.targets.filter((t) => !background.has(t));
    expect([...reads].sort()).toEqual(['count members', 'find member_tiers', 'find members']);
  });

  it('answers every member of the page with a tier consistent with the score', async () => {
    const { body } = await fed.query(PROFILES_PAGE, { token: adminToken });
    expect(body.errors).toBeUndefined();
    const nodes = dataOf<ProfilesPage>(body).members.edges.map((e) => e.node);
    expect(nodes).toHaveLength(PAGE);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(PAGE);
    expect(nodes.map((n) => n.id)).toEqual([...nodes.map((n) => n.id)].sort());
    for (const node of nodes) {
      expect(node.profile.compositeScore).toBeGreaterThanOrEqual(0);
      expect(node.profile.compositeScore).toBeLessThanOrEqual(100);
      expect({ id: node.id, tier: node.profile.tier.code }).toEqual({
        id: node.id,
        tier: tierForScore(node.profile.compositeScore).code,
      });
    }
    // A realistic population spreads over more than one tier.
    expect(new Set(nodes.map((n) => n.profile.tier.code)).size).toBeGreaterThan(1);
  });

  it('batches a brand account lookup the same way when clients select the brand fields too', async () => {
    resetCounters();
    const { body } = await fed.query(
      `{ members(first: ${PAGE}) { edges { node { id mindspark { brandMemberId } profile { tier { code } } } } } }`,
      { token: adminToken },
    );
    expect(body.errors).toBeUndefined();
    // The account lookups of Member.mindspark and Member.mindsparkBehaviour share one fetch, hence one query.
    expect(brandLogs.get('mindspark')!.commands).toEqual(['find']);
  });
});
