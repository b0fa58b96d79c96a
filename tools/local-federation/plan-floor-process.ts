/**
 * The benchmark's floor (`npm run bench`): an HTTP endpoint that answers a GraphQL request by making exactly
 * the subgraph calls the product's query planner plans for it, with the product gateway's HTTP client
 * (gateway/keep-alive-http.ts), and nothing else. It checks
 * the client's token and signs the internal token the subgraphs require as the gateway does (they answer
 * nothing else), plans each distinct document once, and answers the merged subgraph answers as they are (see
 * replayQueryPlan). What a gateway costs above this process is the price of being a gateway.
 * Run by scripts/bench-dashboard.ts as a child process; SUBGRAPH_URL_<NAME> give the subgraphs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { createClientTokenVerifier } from '../../gateway/client-auth.js';
import { createKeepAliveHttp } from '../../gateway/keep-alive-http.js';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import { readEnvironment } from '../../subgraphs/shared/config/environment.js';
import { supergraphPath } from '../../subgraphs/shared/config/paths.js';
import { announceReady, stopWhenSupervisorGone } from '../../subgraphs/shared/supervised-process.js';
import type { SubgraphCall } from './query-plan-replay.js';
import { replayQueryPlan } from './query-plan-replay.js';

const env = readEnvironment();
const supergraph = Supergraph.build(readFileSync(supergraphPath(), 'utf8'));
const planner = new QueryPlanner(supergraph);
const plans = new Map<string, QueryPlan>();
const planOf = (query: string): QueryPlan => {
  let plan = plans.get(query);
  if (!plan) {
    plan = planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
    plans.set(query, plan);
  }
  return plan;
};
const urlOf = (service: string): string => {
  const url = env.subgraphUrls[service];
  if (!url) throw new Error(`no SUBGRAPH_URL_${service.toUpperCase()}`);
  return url;
};
const verify = createClientTokenVerifier(env.auth);
const http = createKeepAliveHttp();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      try {
        const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          query: string;
          variables?: Record<string, unknown>;
        };
        const principal = await verify(request.headers.authorization);
        const internalToken = await signInternalToken(principal, env.auth.internalTokenSecret, randomUUID());
        const call: SubgraphCall = async (service, body) => {
          const answer = await http.send(urlOf(service), {
            method: 'POST',
            headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: internalToken },
            body: JSON.stringify(body),
          });
          return JSON.parse(await answer.text()) as Awaited<ReturnType<SubgraphCall>>;
        };
        const { data, errors } = await replayQueryPlan(planOf(query), call, variables);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(errors.length ? { data, errors } : { data }));
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
      }
    })();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  stopWhenSupervisorGone(stop);
  announceReady({ floor: `http://127.0.0.1:${port}/graphql` });
});
