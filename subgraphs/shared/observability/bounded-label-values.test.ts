import { BoundedLabelValues } from './bounded-label-values.js';

describe('BoundedLabelValues', () => {
  it('passes the first values, then folds new ones into the overflow value', () => {
    const labels = new BoundedLabelValues(2);
    expect(labels.value('Dashboard')).toBe('Dashboard');
    expect(labels.value('Wallet')).toBe('Wallet');
    expect(labels.value('Consent')).toBe('other');
    expect(labels.value('Dashboard')).toBe('Dashboard');
    expect(labels.value('Wallet')).toBe('Wallet');
  });
});
