/** Per-command server-side timing, reported by `serverStatus` when enabled. */
export interface CommandTiming {
  count: number;
  totalMicros: number;
  maxMicros: number;
}

/**
 * Counters surfaced by `serverStatus`. Command timing is opt-in because it costs two clock reads per
 * request; it covers decoding, running and encoding a request, everything but the network.
 */
export class ServerStats {
  readonly startedAt = Date.now();
  connectionsCurrent = 0;
  connectionsTotal = 0;
  readonly opcounters = { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
  readonly timings = new Map<string, CommandTiming>();

  constructor(readonly timingEnabled: boolean) {}

  recordTiming(command: string, nanos: bigint): void {
    const micros = Number(nanos) / 1000;
    const timing = this.timings.get(command) ?? { count: 0, totalMicros: 0, maxMicros: 0 };
    timing.count += 1;
    timing.totalMicros += micros;
    timing.maxMicros = Math.max(timing.maxMicros, micros);
    this.timings.set(command, timing);
  }

  timingReport(): Record<string, CommandTiming> {
    const report: Record<string, CommandTiming> = {};
    for (const [command, timing] of this.timings) report[command] = { ...timing };
    return report;
  }
}
