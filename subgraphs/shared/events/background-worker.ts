/** A loop a service runs beside its HTTP server (event relay, stream consumers); stopped before it closes. */
export interface BackgroundWorker {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Waits `ms`, or less when `wake` is called; used by polling loops that can be nudged. A wake that comes
 * while the loop is busy (not waiting) is kept for its next wait, which then returns at once: an event
 * stored while the relay was publishing the previous batch is published next, not after an idle wait, and
 * a `stop` that lands mid-round does not wait out a pause.
 */
export class Wakeable {
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private woken = false;

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
    });
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
    this.wakeUp = null;
  }
}

/** Exponential backoff with a cap, reset after a success. */
export class Backoff {
  private current: number;

  constructor(
    private readonly initialMs = 100,
    private readonly maxMs = 5_000,
  ) {
    this.current = initialMs;
  }

  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.initialMs;
  }
}

/** Runs `task` every `everyMs` (maintenance such as finishing events a crash left half-done). */
export class IntervalWorker implements BackgroundWorker {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    readonly name: string,
    private readonly everyMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = this.task()
        .catch(this.onError)
        .finally(() => (this.inFlight = null));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}

/**
 * Stops `workers` together and waits for them at most `deadlineMs`: a worker still stopping then (a call that
 * never returns) is left behind, so that a process shutting down still exits. Returns the names of those
 * left behind.
 */
export async function stopWorkers(
  workers: readonly BackgroundWorker[],
  deadlineMs: number,
): Promise<string[]> {
  const stopping = new Set(workers.map((worker) => worker.name));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
  });
  const all = Promise.all(
    workers.map(async (worker) => {
      try {
        await worker.stop();
      } finally {
        stopping.delete(worker.name);
      }
    }),
  );
  try {
    await Promise.race([all, deadline]);
  } finally {
    clearTimeout(timer);
  }
  return [...stopping];
}
