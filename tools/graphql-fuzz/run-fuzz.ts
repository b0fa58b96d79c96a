import type { GraphQLSchema } from 'graphql';
import { buildClientSchema, getIntrospectionQuery } from 'graphql';
import type { Principal } from '../../subgraphs/shared/auth/principal.js';
import type { FuzzCase, FuzzIdentities } from './fuzz-documents.js';
import { FuzzDocumentGenerator, fuzzAnswerProblem } from './fuzz-documents.js';

export interface FuzzFinding {
  fuzzCase: FuzzCase;
  status: number;
  problem: string;
  answer: string;
}

export interface FuzzRunOptions {
  gatewayUrl: string;
  documents: number;
  seed: number;
  identities: FuzzIdentities;
  /** Signs a client token for a principal (null for anonymous). */
  token: (principal: Principal) => Promise<string | null>;
  onProgress?: (done: number) => void;
}

export interface FuzzRunResult {
  sent: number;
  findings: FuzzFinding[];
  /** How many answers had each HTTP status. */
  statuses: Record<number, number>;
}

/** Introspects the gateway (as an operator) and builds the client schema the documents are generated from. */
export async function introspectGateway(gatewayUrl: string, token: string): Promise<GraphQLSchema> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (!body.data) throw new Error(`introspection failed: ${JSON.stringify(body.errors)}`);
  return buildClientSchema(body.data as never);
}

/** Sends every generated case to the gateway, one after another, and collects the answers that break a rule. */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzRunResult> {
  const admin = await options.token({ role: 'admin', subject: 'fuzz' });
  const schema = await introspectGateway(options.gatewayUrl, admin!);
  const cases = new FuzzDocumentGenerator(schema, options.seed, options.identities).generate(
    options.documents,
  );
  const tokens = new Map<string, string | null>();
  const findings: FuzzFinding[] = [];
  const statuses: Record<number, number> = {};
  for (const fuzzCase of cases) {
    const key = JSON.stringify(fuzzCase.principal);
    if (!tokens.has(key)) tokens.set(key, await options.token(fuzzCase.principal));
    const token = tokens.get(key);
    const response = await fetch(options.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: fuzzCase.body,
    });
    const answer = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const problem = fuzzAnswerProblem(response.status, answer);
    if (problem) findings.push({ fuzzCase, status: response.status, problem, answer: answer.slice(0, 500) });
    options.onProgress?.(fuzzCase.index + 1);
  }
  return { sent: cases.length, findings, statuses };
}
