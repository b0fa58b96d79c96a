import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry, served by every service's `GET /metrics`. A deployment runs one
 * service per process, so this is that service's; when several share a process (`npm start`, tests), the
 * HTTP series carry a `service` label. Default metrics: CPU, memory, event-loop lag, GC, handles.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** A metric's name, the sentence `/metrics` shows for it, and the labels its series are split by. */
interface MetricDefinition<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
}

/** A counter served by `GET /metrics`. */
export const registeredCounter = <Label extends string>(
  definition: MetricDefinition<Label>,
): Counter<Label> => new Counter({ ...definition, registers: [metricsRegistry] });

/** A gauge served by `GET /metrics`. */
export const registeredGauge = <Label extends string>(definition: MetricDefinition<Label>): Gauge<Label> =>
  new Gauge({ ...definition, registers: [metricsRegistry] });

/** A histogram served by `GET /metrics`; `buckets` in seconds (default: prom-client's). */
export const registeredHistogram = <Label extends string>(
  definition: MetricDefinition<Label> & { buckets?: number[] },
): Histogram<Label> => new Histogram({ ...definition, registers: [metricsRegistry] });
