import { BoundedLabelValues } from './bounded-label-values.js';
import { registeredCounter, registeredHistogram } from './metrics-registry.js';

const labelNames = ['service', 'route', 'operation', 'status'] as const;

const requests = registeredCounter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by service, route, GraphQL operation name and status.',
  labelNames,
});

const duration = registeredHistogram({
  name: 'http_request_duration_seconds',
  help: 'Time from receiving a request to the end of its response, by service, route, operation and status.',
  labelNames,
});

// Operation names are the client's choice; beyond this many, new ones are counted as "other".
const operations = new BoundedLabelValues(200);

export interface HttpRequestObservation {
  service: string;
  /** The matched route's path (`/graphql`, `/ingest/events`, …), never the raw request path. */
  route: string;
  /** The GraphQL operation name, `anonymous`, or empty outside GraphQL. */
  operation: string;
  /** The HTTP status sent, or `aborted` when the client left before the response was complete. */
  status: string;
  seconds: number;
}

export function recordHttpRequest(observation: HttpRequestObservation): void {
  const labels = {
    service: observation.service,
    route: observation.route,
    operation: operations.value(observation.operation),
    status: observation.status,
  };
  requests.inc(labels);
  duration.observe(labels, observation.seconds);
}

const unparsable = registeredCounter({
  name: 'http_unparsable_requests_total',
  help: "Connections refused before a request could be read (Node's HTTP parser errors, CONNECT), by reason.",
  labelNames: ['service', 'reason'] as const,
});

// Reasons are Node's parser error codes: a fixed set, bounded anyway.
const reasons = new BoundedLabelValues(50);

export function recordUnparsableRequest(service: string, reason: string): void {
  unparsable.inc({ service, reason: reasons.value(reason) });
}
