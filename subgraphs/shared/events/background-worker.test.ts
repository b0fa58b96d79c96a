import type { BackgroundWorker } from './background-worker.js';
import { Wakeable, stopWorkers } from './background-worker.js';

const worker = (name: string, stop: () => Promise<void>): BackgroundWorker => ({
  name,
  start: () => undefined,
  stop,
});

describe('Wakeable', () => {
  it('ends a wait early when woken', async () => {
    const wakeable = new Wakeable();
    const started = Date.now();
    const waiting = wakeable.wait(60_000);
    wakeable.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('keeps a wake that came while nobody waited for the next wait, once', async () => {
    jest.useFakeTimers();
    try {
      const wakeable = new Wakeable();
      wakeable.wake();
      let first = false;
      void wakeable.wait(1_000).then(() => (first = true));
      await Promise.resolve();
      expect(first).toBe(true);
      // Used up: the next wait runs its course.
      let second = false;
      void wakeable.wait(1_000).then(() => (second = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(second).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(second).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not carry a wake over from a wait that ran out', async () => {
    jest.useFakeTimers();
    try {
      const wakeable = new Wakeable();
      const timedOut = wakeable.wait(10);
      await jest.advanceTimersByTimeAsync(10);
      await timedOut;
      let done = false;
      void wakeable.wait(1_000).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(500);
      expect(done).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('stopWorkers', () => {
  it('waits for every worker and reports none left when all stop in time', async () => {
    const stopped: string[] = [];
    const left = await stopWorkers(
      [
        worker('quick', async () => void stopped.push('quick')),
        worker('slower', () =>
          new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => void stopped.push('slower')),
        ),
      ],
      5_000,
    );
    expect(left).toEqual([]);
    expect(stopped.sort()).toEqual(['quick', 'slower']);
  });

  it('returns at the deadline, naming the workers that have not stopped', async () => {
    jest.useFakeTimers();
    try {
      let done = false;
      let left: string[] = [];
      void stopWorkers(
        [worker('stuck', () => new Promise<void>(() => undefined)), worker('quick', async () => undefined)],
        1_000,
      ).then((names) => {
        left = names;
        done = true;
      });
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      expect(left).toEqual(['stuck']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects with the error of a worker that fails to stop', async () => {
    const left = await stopWorkers([worker('failing', () => Promise.reject(new Error('boom')))], 1_000).catch(
      (error: Error) => error.message,
    );
    expect(left).toBe('boom');
  });
});
