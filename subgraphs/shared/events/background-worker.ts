/** A loop a service runs beside its HTTP server (event relay, stream consumers); stopped before it closes. */
export interface BackgroundWorker {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/** Waits `ms`, or less when `wake` is called; used by polling loops that can be nudged. */
export class Wakeable {
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
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
