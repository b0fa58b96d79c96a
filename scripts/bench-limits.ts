/**
 * npm run bench:limits -- [--repeat 5] [--url http://127.0.0.1:4000/graphql]
 * Times how long the gateway takes to refuse the documents that used to hold its event loop: 1,000 and 5,000
 * aliases of the member dashboard, 5,000 aliases of a 100-entry wallet history, and 200 × members(first: 100)
 * as an operator. With --url it targets a running gateway (`npm start`); without, it starts a federation.
 */
import { readEnvironment } from '../subgraphs/shared/config/environment.js';
import { signDevToken } from '../tools/dev-tokens/sign-dev-token.js';
import { DEMO_MEMBER_ID } from '../tools/seed/demo-population.js';
import type { TestFederation } from '../test/federation-harness.js';
import { TEST_AUTH, startTestFederation } from '../test/federation-harness.js';
import { readCountOptions } from './cli-options.js';

const { counts, flags } = readCountOptions(
  { repeat: 5 },
  'npm run bench:limits -- [--repeat 5] [--url http://127.0.0.1:4000/graphql]',
  { url: { type: 'string' } },
);
const { repeat } = counts;

const aliases = (n: number, selection: string): string =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;
const DASHBOARD = 'me { profile { compositeScore } benefits { items { reason } } }';
const cases: { name: string; query: string; role: 'member' | 'admin' }[] = [
  { name: '1,000 aliases of the dashboard', query: aliases(1000, DASHBOARD), role: 'member' },
  { name: '5,000 aliases of the dashboard', query: aliases(5000, DASHBOARD), role: 'member' },
  {
    name: '5,000 × wallet.history(first: 100)',
    query: `{ me ${aliases(5000, 'wallet { history(first: 100) { edges { node { points } } } }')} }`,
    role: 'member',
  },
  {
    name: '200 × members(first: 100), operator',
    query: aliases(200, 'members(first: 100) { edges { node { id profile { compositeScore } } } }'),
    role: 'admin',
  },
];

let started: TestFederation | null = null;
let url = flags.url as string | undefined;
let secret = readEnvironment().auth.jwtSecret!;
if (!url) {
  console.log('Starting a federation (embedded store, 20 seeded members)…');
  started = await startTestFederation({ members: 20 });
  url = started.federation.gatewayUrl;
  secret = TEST_AUTH.jwtSecret!;
}
const tokens = {
  member: await signDevToken({ role: 'member', memberId: DEMO_MEMBER_ID }, secret),
  admin: await signDevToken({ role: 'admin', subject: 'bench' }, secret),
};

try {
  console.log(`Each document sent ${repeat} times, one after another; time until the answer is read.`);
  for (const c of cases) {
    const timings: number[] = [];
    let outcome = '';
    for (let i = 0; i < repeat; i++) {
      const startedAt = process.hrtime.bigint();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[c.role]}` },
        body: JSON.stringify({ query: c.query }),
      });
      const body = (await response.json()) as {
        errors?: { extensions?: { code?: string; limit?: string } }[];
      };
      timings.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
      const error = body.errors?.[0]?.extensions;
      outcome = `HTTP ${response.status} ${error?.code ?? 'no error'}${error?.limit ? ` (${error.limit})` : ''}`;
    }
    timings.sort((a, b) => a - b);
    const kb = (Buffer.byteLength(c.query) / 1024).toFixed(0);
    console.log(
      `  ${c.name.padEnd(38)} ${kb.padStart(4)} KB  median ${timings[Math.floor(timings.length / 2)].toFixed(1)} ms  max ${timings[timings.length - 1].toFixed(1)} ms  → ${outcome}`,
    );
  }
} finally {
  await started?.stop();
}
