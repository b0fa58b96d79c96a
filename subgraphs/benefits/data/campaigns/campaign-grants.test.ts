import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from '../../../shared/db/mongo-connection.js';
import { openDatabase } from '../../../shared/db/mongo-connection.js';
import type { EmbeddedMongo } from '../../../../tools/embedded-mongo/index.js';
import { startEmbeddedMongo } from '../../../../tools/embedded-mongo/index.js';
import { CampaignGrants } from './campaign-grants.js';
import type { CampaignModels } from './campaign-models.js';
import { campaignModels } from './campaign-models.js';

/** Budgets under concurrent events, on the real store (MONGODB_URI) or the embedded one. */
describe('campaign budgets under concurrent events', () => {
  let embedded: EmbeddedMongo | null = null;
  let db: DatabaseHandle;
  let models: CampaignModels;
  let grants: CampaignGrants;

  beforeAll(async () => {
    embedded = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ port: 0 });
    db = await openDatabase(
      process.env.MONGODB_URI ?? embedded!.uri,
      `tgrants${randomBytes(4).toString('hex')}`,
    );
    models = await campaignModels(db.connection);
    grants = new CampaignGrants(models);
  });

  afterAll(async () => {
    await db?.connection.dropDatabase().catch(() => undefined);
    await db?.close();
    await embedded?.stop();
  });

  const campaign = (id: string, totalPoints: number | null, perMemberPoints: number | null) => ({
    id,
    budget: { totalPoints, perMemberPoints },
  });
  /** A treated member's request for the points one event earns them in campaign `c`. */
  const treated = (
    c: ReturnType<typeof campaign>,
    event: { memberId: string; key: string; spendMinor: number; wanted: number; order?: string },
  ) => ({ campaign: c, group: 'TREATED' as const, ...event });

  it('never issues more than the total or a member’s share, however the events interleave', async () => {
    const c = campaign('cmp-race', 1_000, 150);
    await grants.openBudget(c.id);
    // 10 members × 12 events × 30 points wanted = 3,600 points asked of a budget of 1,000, all at once.
    const requests = Array.from({ length: 120 }, (_, i) =>
      treated(c, { memberId: `M${i % 10}`, key: `pulsefit:e${i}`, spendMinor: 3_000, wanted: 30 }),
    );
    const granted = await Promise.all(requests.map((r) => grants.grant(r)));
    const total = granted.reduce((s, p) => s + p, 0);
    expect(total).toBe(1_000);
    expect(await grants.issued(c.id)).toBe(1_000);
    const members = await models.Participants.find({ campaignId: c.id }).lean();
    expect(members.every((m) => m.pointsIssued <= 150)).toBe(true);
    expect(members.reduce((s, m) => s + m.pointsIssued, 0)).toBe(1_000);
    expect(members.reduce((s, m) => s + m.events, 0)).toBe(120);
  });

  it('gives a redelivered event the same grant and takes nothing more from the budget', async () => {
    const c = campaign('cmp-redelivery', 100, null);
    await grants.openBudget(c.id);
    const request = treated(c, { memberId: 'M1', key: 'pulsefit:e1', spendMinor: 5_000, wanted: 60 });
    const deliveries = await Promise.all([
      grants.grant(request),
      grants.grant(request),
      grants.grant(request),
    ]);
    expect(deliveries).toEqual([60, 60, 60]);
    expect(await grants.issued(c.id)).toBe(60);
    const second = await grants.grant({ ...request, key: 'pulsefit:e2' });
    expect(second).toBe(40); // what is left of the budget
    expect(await grants.grant({ ...request, key: 'pulsefit:e3' })).toBe(0);
    const member = await models.Participants.findById(`${c.id}|M1`).lean();
    expect(member).toMatchObject({ events: 3, spendMinor: 15_000, pointsIssued: 100 });
  });

  it('counts control-group members without giving them points', async () => {
    const c = campaign('cmp-control', 100, null);
    await grants.openBudget(c.id);
    const points = await grants.grant({
      campaign: c,
      memberId: 'M9',
      key: 'k',
      group: 'CONTROL',
      spendMinor: 700,
      wanted: 0,
    });
    expect(points).toBe(0);
    expect(await models.Participants.findById(`${c.id}|M9`).lean()).toMatchObject({
      group: 'CONTROL',
      spendMinor: 700,
    });
    expect(await grants.issued(c.id)).toBe(0);
  });

  it('finds a purchase’s grants by order, records a refund once and returns its points to the budget', async () => {
    const c = campaign('cmp-refund', 100, 80);
    await grants.openBudget(c.id);
    const purchase = treated(c, {
      memberId: 'M2',
      key: 'pulsefit:p1',
      spendMinor: 10_000,
      wanted: 80,
      order: 'pulsefit:O-1',
    });
    expect(await grants.grant(purchase)).toBe(80);
    expect(await grants.grantsForOrder('M2', 'pulsefit:O-1')).toEqual([
      { campaignId: c.id, group: 'TREATED', points: 80 },
    ]);
    expect(await grants.grantsForOrder('M2', 'pulsefit:O-2')).toEqual([]);
    expect(await grants.grantsForOrder('M3', 'pulsefit:O-1')).toEqual([]);

    const refund = { campaignId: c.id, memberId: 'M2', key: 'pulsefit:r1', points: 40, refundMinor: 5_000 };
    expect(await Promise.all([grants.reverse(refund), grants.reverse(refund)])).toEqual([40, 40]);
    expect(await grants.issued(c.id)).toBe(40);
    expect(await models.Participants.findById(`${c.id}|M2`).lean()).toMatchObject({
      pointsIssued: 80,
      pointsReversed: 40,
      refundedMinor: 5_000,
    });
    // The points taken back count neither against the total nor against the member's share any more.
    expect(await grants.grant({ ...purchase, key: 'pulsefit:p2', order: 'pulsefit:O-2' })).toBe(40);
  });
});
