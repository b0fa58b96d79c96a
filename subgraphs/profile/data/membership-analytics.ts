import { monthKeyExpression } from '../../shared/db/month-key-expression.js';
import type { AnalyticsWindow } from '../../shared/domain/analytics-window.js';
import type { MemberModel } from './member-model.js';

export interface MembershipFigures {
  members: number;
  joined: { month: string; members: number }[];
  linkedBrands: { brands: number; members: number }[];
  links: number;
  consented: number;
}

/**
 * Whether an unwound link's consent to the cross-brand profile stands: its answer for that purpose, or for a
 * link not yet migrated to purposes, its single legacy consent (as `consentsOfLink` reads them).
 */
const crossBrandConsentGranted = {
  $cond: [
    { $isArray: '$links.consents' },
    {
      $anyElementTrue: [
        {
          $map: {
            input: '$links.consents',
            as: 'c',
            in: { $and: [{ $eq: ['$$c.purpose', 'CROSS_BRAND_PROFILE'] }, { $eq: ['$$c.granted', true] }] },
          },
        },
      ],
    },
    { $eq: ['$links.consent.granted', true] },
  ],
};

/** The membership figures at a window's end, in one aggregation pipeline over the members ($facet). */
export async function membershipFigures(
  Member: MemberModel,
  window: AnalyticsWindow,
  timeZone: string,
): Promise<MembershipFigures> {
  const [row] = await Member.aggregate<{
    total: { members: number }[];
    joined: { _id: string; members: number }[];
    linked: { _id: number; members: number }[];
    consent: { links: number; consented: number }[];
  }>([
    { $match: { joinedAt: { $lt: window.to } } },
    {
      $facet: {
        total: [{ $count: 'members' }],
        joined: [
          { $match: { joinedAt: { $gte: window.from } } },
          {
            $group: {
              _id: monthKeyExpression('$joinedAt', timeZone, window),
              members: { $sum: 1 },
            },
          },
        ],
        linked: [{ $group: { _id: { $size: '$links' }, members: { $sum: 1 } } }],
        consent: [
          { $unwind: '$links' },
          {
            $group: {
              _id: null,
              links: { $sum: 1 },
              consented: { $sum: { $cond: [crossBrandConsentGranted, 1, 0] } },
            },
          },
        ],
      },
    },
  ]);
  return {
    members: row?.total[0]?.members ?? 0,
    joined: (row?.joined ?? []).map((r) => ({ month: r._id, members: r.members })),
    linkedBrands: (row?.linked ?? []).map((r) => ({ brands: r._id, members: r.members })),
    links: row?.consent[0]?.links ?? 0,
    consented: row?.consent[0]?.consented ?? 0,
  };
}
