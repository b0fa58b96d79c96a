import { parseReconcileOptions } from './reconcile-options.js';

const context = { partners: ['mindspark', 'pulsefit'], now: new Date('2026-03-02T00:00:00Z') };

describe('npm run reconcile options', () => {
  it('reads --since, --partner and --dry-run', () => {
    expect(
      parseReconcileOptions(
        { since: '2026-03-01T08:00:00+08:00', partner: 'pulsefit', dryRun: true },
        context,
      ),
    ).toEqual({
      ok: true,
      options: { since: new Date('2026-03-01T00:00:00Z'), partner: 'pulsefit', dryRun: true },
    });
    expect(parseReconcileOptions({ dryRun: false }, context)).toEqual({
      ok: true,
      options: { dryRun: false },
    });
  });

  it('refuses a --since that is not an instant, or is in the future', () => {
    expect(parseReconcileOptions({ since: 'yesterday', dryRun: false }, context)).toMatchObject({
      ok: false,
      error: expect.stringContaining('--since must be an ISO-8601 instant'),
    });
    expect(parseReconcileOptions({ since: '2026-03-01', dryRun: false }, context).ok).toBe(false);
    expect(parseReconcileOptions({ since: '2026-03-03T00:00:00Z', dryRun: false }, context)).toMatchObject({
      ok: false,
      error: '--since must not be in the future',
    });
  });

  it('refuses an unknown partner, naming the known ones', () => {
    expect(parseReconcileOptions({ partner: 'acme', dryRun: false }, context)).toMatchObject({
      ok: false,
      error: '--partner must be one of mindspark, pulsefit',
    });
  });
});
