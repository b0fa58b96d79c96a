/**
 * GraphiQL's editors (Monaco) run their language services in web workers. The packaged setups load them from a
 * CDN or expect a bundler plugin; here each worker is its own bundle served beside the page, so the page works
 * with no network but the gateway.
 */
const WORKERS: Record<string, string> = {
  graphql: 'graphql.worker.js',
  json: 'json.worker.js',
};

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const file = WORKERS[label] ?? 'editor.worker.js';
    return new Worker(new URL(`/explorer/assets/${file}`, location.origin), { type: 'module' });
  },
};
