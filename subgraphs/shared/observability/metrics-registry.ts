import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's Prometheus registry, served by every service's `GET /metrics`. A deployment runs one
 * service per process, so this is that service's; when several share a process (`npm start`, tests), the
 * HTTP series carry a `service` label. Default metrics: CPU, memory, event-loop lag, GC, handles.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
