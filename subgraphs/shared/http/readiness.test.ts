import { runReadinessChecks } from './readiness.js';

describe('runReadinessChecks', () => {
  it('reports each check, with the reason of a failure', async () => {
    const results = await runReadinessChecks([
      { name: 'mongodb', check: async () => 'pong' },
      {
        name: 'redis',
        required: false,
        check: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    ]);
    expect(results).toEqual([
      { name: 'mongodb', ok: true, required: true },
      { name: 'redis', ok: false, required: false, error: 'connect ECONNREFUSED' },
    ]);
  });

  it('fails a check that does not answer in time, and one that throws before returning a promise', async () => {
    const results = await runReadinessChecks(
      [
        { name: 'stuck', check: () => new Promise(() => undefined) },
        {
          name: 'broken',
          check: () => {
            throw new Error('not configured');
          },
        },
      ],
      20,
    );
    expect(results).toEqual([
      { name: 'stuck', ok: false, required: true, error: 'no answer within 20 ms' },
      { name: 'broken', ok: false, required: true, error: 'not configured' },
    ]);
  });
});
