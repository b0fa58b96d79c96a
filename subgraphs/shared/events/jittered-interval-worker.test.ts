import { JitteredIntervalWorker } from './jittered-interval-worker.js';

describe('JitteredIntervalWorker', () => {
  afterEach(() => jest.useRealTimers());

  it('draws each wait from everyMs × (1 ± jitter)', () => {
    const at = (random: number) =>
      new JitteredIntervalWorker('w', {
        everyMs: 60_000,
        jitter: 0.2,
        task: async () => undefined,
        random: () => random,
      });
    expect(at(0).nextDelayMs()).toBe(48_000);
    expect(at(0.5).nextDelayMs()).toBe(60_000);
    expect(at(1).nextDelayMs()).toBe(72_000);
  });

  it('refuses an interval or a jitter that cannot work, naming it', () => {
    const task = async () => undefined;
    expect(() => new JitteredIntervalWorker('sweep', { everyMs: 0, jitter: 0.2, task })).toThrow(
      'sweep: everyMs must be positive; got 0',
    );
    expect(() => new JitteredIntervalWorker('sweep', { everyMs: 1_000, jitter: 2, task })).toThrow(
      'sweep: jitter must be between 0 and 1; got 2',
    );
  });

  it('runs one task at a time: the next wait starts when a run ends; errors go to onError', async () => {
    jest.useFakeTimers();
    let running = 0;
    let most = 0;
    let runs = 0;
    const errors: unknown[] = [];
    let finish: (() => void) | null = null;
    const worker = new JitteredIntervalWorker('w', {
      everyMs: 100,
      jitter: 0,
      onError: (error) => errors.push(error),
      task: () => {
        runs += 1;
        running += 1;
        most = Math.max(most, running);
        return new Promise<void>((resolve, reject) => {
          finish = () => {
            running -= 1;
            if (runs === 1) reject(new Error('first run failed'));
            else resolve();
          };
        });
      },
    });
    worker.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1); // still in its first run: no second one started
    finish!();
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(2);
    expect(errors).toEqual([new Error('first run failed')]);
    const stopped = worker.stop();
    finish!();
    await stopped;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });
});
