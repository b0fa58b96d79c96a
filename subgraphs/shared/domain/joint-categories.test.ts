import { JOINT_CATEGORIES, isJointCategory } from './joint-categories.js';

describe('JOINT_CATEGORIES', () => {
  it('is the eight-category taxonomy, without duplicates', () => {
    expect([...JOINT_CATEGORIES]).toEqual([
      'technology',
      'business',
      'lifestyle',
      'health',
      'entertainment',
      'arts',
      'language',
      'family',
    ]);
    expect(new Set(JOINT_CATEGORIES).size).toBe(JOINT_CATEGORIES.length);
  });
});

describe('isJointCategory', () => {
  it('accepts every joint category', () => {
    for (const category of JOINT_CATEGORIES) expect(isJointCategory(category)).toBe(true);
  });

  it('rejects partner-local names, other casings and near misses', () => {
    for (const value of ['Technology', 'TECHNOLOGY', 'programming', 'sports', '', ' arts', 'art']) {
      expect(isJointCategory(value)).toBe(false);
    }
  });
});
