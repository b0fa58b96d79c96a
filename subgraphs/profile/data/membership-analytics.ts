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
 * Whether a link's (`$$link`) consent to the cross-brand profile stands: its answer for that purpose, or for a
 * link not yet migrated to purposes, its single legacy consent (as `consentsOfLink` reads them).
 */
const crossBrandConsentGranted = {
  $cond: [
    { $isArray: '$$link.consents' },
    {
      $anyElementTrue: [
        {
          $map: {
            input: '$$link.consents',
            as: 'c',
            in: { $and: [{ $eq: ['$$c.purpose', 'CROSS_BRAND_PROFILE'] }, { $eq: ['$$c.granted', true] }] },
          },
        },
      ],
    },
    { $eq: ['$$link.consent.granted', true] },
  ],
};

/**
 * The membership figures at a window's end: a count and three aggregation pipelines over the members, each
 * of matching and grouping stages only, so the store reads the members where they are (a `$facet` or an
 * `$unwind` made the embedded store copy every member first, about ten times slower).
 */
export async function membershipFigures(
  Member: MemberModel,
  window: AnalyticsWindow,
  timeZone: string,
): Promise<MembershipFigures> {
  const atEnd = { $match: { joinedAt: { $lt: window.to } } };
  const [members, joined, linked, consent] = await Promise.all([
    Member.countDocuments({ joinedAt: { $lt: window.to } }),
    Member.aggregate<{ _id: string; members: number }>([
      { $match: { joinedAt: { $gte: window.from, $lt: window.to } } },
      { $group: { _id: monthKeyExpression('$joinedAt', timeZone, window), members: { $sum: 1 } } },
    ]),
    Member.aggregate<{ _id: number; members: number }>([
      atEnd,
      { $group: { _id: { $size: '$links' }, members: { $sum: 1 } } },
    ]),
    Member.aggregate<{ consented: number }>([
      atEnd,
      {
        $group: {
          _id: null,
          consented: {
            $sum: { $size: { $filter: { input: '$links', as: 'link', cond: crossBrandConsentGranted } } },
          },
        },
      },
    ]),
  ]);
  const linkedBrands = linked.map((r) => ({ brands: r._id, members: r.members }));
  return {
    members,
    joined: joined.map((r) => ({ month: r._id, members: r.members })),
    linkedBrands,
    links: linkedBrands.reduce((sum, l) => sum + l.brands * l.members, 0),
    consented: consent[0]?.consented ?? 0,
  };
}
