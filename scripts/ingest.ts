/**
 * npm run ingest -- --partner pulsefit --file events.ndjson [--url http://127.0.0.1:4103] [--batch 500]
 * Sends a file of partner events (NDJSON, or a JSON array) to the brand subgraph's signed ingest endpoint,
 * in batches, signed with the partner's secret (PARTNER_SECRET_<KEY>, or the development default).
 */
import { readFileSync } from 'node:fs';
import { partnerSecretOf, readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { listSubgraphs } from '../subgraphs/shared/config/service-topology.js';
import { signEventBody } from '../subgraphs/brand/ingest/event-signature.js';
import { INGEST_PATH, MAX_EVENTS_PER_REQUEST } from '../subgraphs/brand/ingest/ingest-route.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import { positiveInteger, readCliOptions, stringFlags, usageFailure } from './cli-options.js';

const usage = 'npm run ingest -- --partner KEY --file FILE [--url http://127.0.0.1:PORT] [--batch 500]';
const options = readCliOptions(stringFlags('partner', 'file', 'url', 'batch'), usage);
const fail = usageFailure(usage);

const env = readEnvironment();
const registry = loadPartnerRegistry(partnerRegistryPath());
const partner = (options.partner as string | undefined) ?? fail('--partner is required.');
if (!registry.byKey.has(partner))
  fail(`Unknown partner "${partner}"; partners are ${[...registry.byKey.keys()].join(', ')}.`);
const file = (options.file as string | undefined) ?? fail('--file is required.');
const batchSize = positiveInteger(options.batch as string | undefined, 'batch', 500);
if (batchSize > MAX_EVENTS_PER_REQUEST) fail(`--batch must be at most ${MAX_EVENTS_PER_REQUEST}.`);
const descriptor = listSubgraphs(registry).find((s) => s.name === partner)!;
const base = (options.url as string | undefined) ?? `http://127.0.0.1:${descriptor.defaultPort}`;

let text: string;
try {
  text = readFileSync(file, 'utf8');
} catch (error) {
  fail(`Cannot read ${file}: ${(error as Error).message}`);
}
// A JSON array is sent as NDJSON too, one event per line, so batches can be cut anywhere.
let lines: string[];
if (text!.trimStart().startsWith('[')) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text!);
  } catch {
    fail(`${file} starts with "[" but is not a valid JSON array.`);
  }
  lines = (parsed as unknown[]).map((event) => JSON.stringify(event));
} else {
  lines = text!.split('\n').filter((line) => line.trim().length > 0);
}
if (lines.length === 0) fail(`${file} holds no events.`);

const secret = partnerSecretOf(env, partner);
const totals = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
const reasons: string[] = [];
const bar = new ProgressBar(`ingesting into ${partner}`, lines.length);
const started = Date.now();
for (let i = 0; i < lines.length; i += batchSize) {
  const body = lines.slice(i, i + batchSize).join('\n');
  let response: Response;
  try {
    response = await fetch(new URL(INGEST_PATH, base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-signature': signEventBody(body, secret) },
      body,
    });
  } catch (error) {
    console.error(`\nCannot reach ${base} (is \`npm start\` running?): ${(error as Error).message}`);
    process.exit(1);
  }
  const answer = (await response.json()) as {
    summary?: typeof totals;
    results?: { index: number; eventId?: string; status: string; reason?: string }[];
    error?: { message: string };
  };
  if (!response.ok || !answer.summary) {
    console.error(
      `\nBatch starting at event ${i + 1} refused (${response.status}): ${answer.error?.message ?? 'no reason given'}`,
    );
    process.exit(1);
  }
  totals.accepted += answer.summary.accepted;
  totals.duplicate += answer.summary.duplicate;
  totals.conflict += answer.summary.conflict;
  totals.rejected += answer.summary.rejected;
  for (const r of answer.results ?? []) {
    if ((r.status === 'rejected' || r.status === 'conflict') && reasons.length < 20)
      reasons.push(
        `  line ${i + r.index + 1}${r.eventId ? ` (${r.eventId})` : ''}, ${r.status}: ${r.reason}`,
      );
  }
  bar.update(Math.min(lines.length, i + batchSize));
}
const seconds = (Date.now() - started) / 1000;
console.log(
  `${lines.length} events in ${seconds.toFixed(1)} s: ${totals.accepted} accepted, ${totals.duplicate} duplicate, ${totals.conflict} conflict, ${totals.rejected} rejected.`,
);
if (reasons.length > 0)
  console.log(
    `Rejected or in conflict${totals.rejected + totals.conflict > reasons.length ? ` (first ${reasons.length})` : ''}:\n${reasons.join('\n')}`,
  );
