import type { BackgroundWorker } from './background-worker.js';

/**
 * Runs `task` about every `everyMs`, each wait drawn from ±`jitter` of it (replicas started together do not
 * run in step), one run at a time: the next wait starts when a run ends, so a slow run is never overlapped.
 */
export class JitteredIntervalWorker implements BackgroundWorker {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private running = false;

  constructor(
    readonly name: string,
    private readonly options: {
      everyMs: number;
      /** Fraction of `everyMs`, 0 to 1. */
      jitter: number;
      task: () => Promise<unknown>;
      onError?: (error: unknown) => void;
      random?: () => number;
    },
  ) {
    if (!(options.everyMs > 0)) throw new Error(`${name}: everyMs must be positive; got ${options.everyMs}`);
    if (!(options.jitter >= 0 && options.jitter <= 1))
      throw new Error(`${name}: jitter must be between 0 and 1; got ${options.jitter}`);
  }

  /** The next wait: `everyMs` × (1 ± jitter), uniformly. */
  nextDelayMs(): number {
    const { everyMs, jitter, random = Math.random } = this.options;
    return Math.round(everyMs * (1 + jitter * (2 * random() - 1)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.options
        .task()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.inFlight = null;
          this.schedule();
        });
    }, this.nextDelayMs());
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
