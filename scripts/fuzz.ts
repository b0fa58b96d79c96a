/**
 * npm run fuzz -- [--documents 2000] [--seed 1] [--url http://127.0.0.1:4000/graphql]
 * Sends generated GraphQL requests (valid and broken, every role) to a gateway and reports any answer that is
 * a 5xx, carries INTERNAL_SERVER_ERROR or shows a stack trace. With --url it targets a running federation
 * (`npm start`; tokens are signed with JWT_SECRET or the development secret); without, it starts its own.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { runFuzz } from '../tools/graphql-fuzz/run-fuzz.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import { ProgressBar } from '../tools/seed/progress-bar.js';
import type { TestFederation } from '../test/federation-harness.js';
import { TEST_AUTH, startTestFederation } from '../test/federation-harness.js';
import { readCountOptions } from './cli-options.js';

const usage = 'npm run fuzz -- [--documents 2000] [--seed 1] [--url http://127.0.0.1:4000/graphql]';
const { counts, flags } = readCountOptions({ documents: 2000, seed: 1 }, usage, { url: { type: 'string' } });
const { documents, seed } = counts;
const registry = loadPartnerRegistry(partnerRegistryPath());

let started: TestFederation | null = null;
let url = flags.url as string | undefined;
let secret: string;
if (url) {
  secret = readEnvironment().auth.jwtSecret ?? '';
  if (!secret) throw new Error('--url needs JWT_SECRET (or the development default) to sign tokens.');
} else {
  console.log('Starting a federation of its own (embedded store, 40 seeded members)…');
  started = await startTestFederation({ members: 40 });
  url = started.federation.gatewayUrl;
  secret = TEST_AUTH.jwtSecret!;
}

const began = Date.now();
const bar = new ProgressBar('requests', documents);
try {
  const result = await runFuzz({
    gatewayUrl: url,
    documents,
    seed,
    identities: { members: [DEMO_MEMBER_ID], partners: registry.partners.map((p) => p.key) },
    token: async (principal) => (principal.role === 'anonymous' ? null : signDevToken(principal, secret)),
    onProgress: (done) => bar.update(done),
  });
  const statuses = Object.entries(result.statuses)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  console.log(
    `\n${result.sent} requests (seed ${seed}) in ${((Date.now() - began) / 1000).toFixed(1)} s: ${statuses}.`,
  );
  for (const finding of result.findings.slice(0, 20)) {
    console.log(
      `- #${finding.fuzzCase.index} ${finding.fuzzCase.kind} as ${finding.fuzzCase.principal.role}: ${finding.problem}`,
    );
    console.log(`  request: ${finding.fuzzCase.body.slice(0, 300)}`);
    console.log(`  answer:  ${finding.answer.slice(0, 300)}`);
  }
  console.log(result.findings.length ? `${result.findings.length} findings.` : 'No findings.');
  process.exitCode = result.findings.length ? 1 : 0;
} finally {
  await started?.stop();
}
