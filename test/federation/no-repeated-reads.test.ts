import type { Document } from 'mongodb';
import { CATALOGUE_CHANGED_TOPIC } from '../../subgraphs/benefits/data/catalogue-snapshot.js';
import { crossBrandProfilesOf } from '../../subgraphs/shared/cache/cross-brand-profiles.js';
import { waitFor } from '../events/event-fixtures.js';
import { useTestFederation } from '../federation-harness.js';
import { answeredDataOf } from './graphql-responses.js';
import type { Db } from './store-profiler.js';
import { profiledCommands } from './store-profiler.js';

/** The dashboard `npm run bench` sends. */
const DASHBOARD = `{ me { id mindspark { brandMemberId } profile { compositeScore tier { code } affinities { category share } }
  benefits { items { benefit { id title } reason } } } }`;

interface Dashboard {
  id: string;
  profile: { tier: { code: string } };
  benefits: { items: { benefit: { id: string; title: string } }[] };
}

/**
 * What one dashboard reads from the stores (the store's profiler, as `db.setProfilingLevel(2)`): the member
 * once however many fetches the gateway sends the profile subgraph, the catalogue not at all once held in
 * memory, and the cross-brand profile computed once for the profile and the benefits subgraphs together.
 */
describe('no repeated work per dashboard', () => {
  const fed = useTestFederation({ members: 30 });

  async function dashboard(memberId: string): Promise<Dashboard> {
    const token = await fed.token({ role: 'member', memberId });
    const { me } = answeredDataOf<{ me: Dashboard }>(await fed.query(DASHBOARD, { token }));
    expect(me.id).toBe(memberId);
    return me;
  }

  async function readsDuring(run: () => Promise<unknown>): Promise<Document[]> {
    const databases: Db[] = [fed.dbs.profile.connection.db!, fed.dbs.benefits.connection.db!];
    return (await profiledCommands(databases, run)).filter((e) => e.op === 'query');
  }

  const readsOf = (entries: Document[], collection: string) =>
    entries.filter((e) => String(e.ns).endsWith(`.${collection}`));
  /** The member ids a read of the members collection asked for (the loader's `_id: { $in }`). */
  const memberIdsOf = (entry: Document): string[] => entry.command.filter._id.$in as string[];

  it('reads the member once per client request, and the catalogue not at all once held', async () => {
    await dashboard('M000003'); // the catalogue is read once, by the first bundle
    const entries = await readsDuring(() => dashboard('M000004'));
    expect(readsOf(entries, 'members').map(memberIdsOf)).toEqual([['M000004']]);
    expect(readsOf(entries, 'member_tiers')).toHaveLength(1);
    expect(readsOf(entries, 'benefits')).toEqual([]);
  });

  it('shares nothing between client requests: two at once each read their own member, once', async () => {
    const entries = await readsDuring(() => Promise.all([dashboard('M000005'), dashboard('M000006')]));
    const reads = readsOf(entries, 'members').map(memberIdsOf);
    expect(reads.sort()).toEqual([['M000005'], ['M000006']]);

    // Nor between two requests of one member that chose the same request id, sent at once.
    const token = await fed.token({ role: 'member', memberId: 'M000005' });
    const headers = { 'x-request-id': 'req-chosen-by-the-client' };
    const again = await readsDuring(() =>
      Promise.all([0, 1].map(async () => answeredDataOf(await fed.query(DASHBOARD, { token, headers })))),
    );
    expect(readsOf(again, 'members').map(memberIdsOf)).toEqual([['M000005'], ['M000005']]);
  });

  it("lets the rest of a mutation's request read what it wrote", async () => {
    // The demo member, linked with consent to pulsefit (tools/seed/demo-population.ts). The first mutation's
    // profile is resolved in an `_entities` fetch before the benefits mutation; the last mutation writes the
    // member again, and its own `_entities` fetch must not be handed the member the first one read.
    const token = await fed.token({ role: 'member', memberId: 'M000001' });
    const benefitId = (await dashboard('M000001')).benefits.items[0].benefit.id;
    const answer = await fed.query(
      `mutation {
        withdrawn: withdrawConsent(partner: "pulsefit", purposes: [CROSS_BRAND_PROFILE]) { profile { brandsActive } }
        shown: recordBenefitFeedback(benefitId: "${benefitId}", action: SHOWN) { actions }
        granted: grantConsent(partner: "pulsefit", purposes: [CROSS_BRAND_PROFILE], noticeVersion: "2026-11") {
          profile { brandsActive }
        }
      }`,
      { token },
    );
    const { withdrawn, granted } =
      answeredDataOf<Record<string, { profile: { brandsActive: string[] } }>>(answer);
    expect(withdrawn.profile.brandsActive).not.toContain('pulsefit');
    expect(granted.profile.brandsActive).toContain('pulsefit');
  });

  it('computes the cross-brand profile once for the profile and the benefits subgraphs', async () => {
    const profiles = crossBrandProfilesOf(fed.model);
    const before = { ...profiles.counts, size: profiles.size };
    const first = await dashboard('M000007');
    const computed = profiles.counts.computed - before.computed;
    // The joint profile and the one of the partners consented to for personalisation, each once: every
    // profile computed is a new entry, and the second subgraph to ask was handed the first one's.
    expect(computed).toBeGreaterThanOrEqual(1);
    expect(profiles.size - before.size).toBe(computed);
    expect(profiles.counts.shared - before.shared).toBeGreaterThanOrEqual(1);
    const again = await dashboard('M000007');
    expect(profiles.counts.computed - before.computed).toBe(computed);
    expect(again.profile).toEqual(first.profile);
  });

  it('shows a catalogue change on the next request after the change signal', async () => {
    const me = await dashboard('M000008');
    const shown = me.benefits.items[0].benefit;
    const benefits = fed.dbs.benefits.connection.collection<{ _id: string; title: string }>('benefits');
    const titleOf = async (memberId: string) =>
      (await dashboard(memberId)).benefits.items.find((i) => i.benefit.id === shown.id)?.benefit.title;
    try {
      // Written behind the service's back: the catalogue it holds is not read again for it.
      await benefits.updateOne({ _id: shown.id }, { $set: { title: `${shown.title} (renamed)` } });
      expect(await titleOf('M000008')).toBe(shown.title);
      // Another process announcing its change (as a benefits process does after syncing the registry).
      await fed.notifications.publish(CATALOGUE_CHANGED_TOPIC, 'test');
      await waitFor(
        'the renamed benefit',
        async () => (await titleOf('M000008')) === `${shown.title} (renamed)`,
      );

      // A change made in this process is seen by the very next request.
      await benefits.updateOne({ _id: shown.id }, { $set: { title: `${shown.title} (again)` } });
      await fed.federation.benefits.catalogue.changed('test');
      expect(await titleOf('M000008')).toBe(`${shown.title} (again)`);
    } finally {
      await benefits.updateOne({ _id: shown.id }, { $set: { title: shown.title } });
      await fed.federation.benefits.catalogue.changed('test');
    }
  });
});
