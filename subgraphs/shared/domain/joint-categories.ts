/** The joint category taxonomy every partner's local categories map onto (docs/architecture.md §4). */
export const JOINT_CATEGORIES = [
  'technology',
  'business',
  'lifestyle',
  'health',
  'entertainment',
  'arts',
  'language',
  'family',
] as const;

export type JointCategory = (typeof JOINT_CATEGORIES)[number];

export function isJointCategory(value: string): value is JointCategory {
  return (JOINT_CATEGORIES as readonly string[]).includes(value);
}
