import type { JointCategory } from '../../../shared/domain/joint-categories.js';
import { JOINT_CATEGORIES } from '../../../shared/domain/joint-categories.js';
import type { MemberActivityMessage } from '../../../shared/events/member-activity-message.js';
import type { EarningRules } from '../earning-rules.js';
import { pointsForActivity } from '../earning-rules.js';
import type { CampaignEvent } from './campaign-stacking.js';

/**
 * What campaigns see of an activity message: purchases and interactions of linked members, with the points
 * the earning rules give them. Null for anything a campaign never acts on.
 */
export function campaignEventOf(message: MemberActivityMessage, rules: EarningRules): CampaignEvent | null {
  if (!message.memberId || (message.type !== 'purchase' && message.type !== 'interaction')) return null;
  const category = (JOINT_CATEGORIES as readonly string[]).includes(message.jointCategory ?? '')
    ? (message.jointCategory as JointCategory)
    : null;
  return {
    activity: message.type === 'purchase' ? 'PURCHASE' : 'INTERACTION',
    partner: message.partner,
    category,
    basePoints: pointsForActivity(message, rules)?.points ?? 0,
  };
}
