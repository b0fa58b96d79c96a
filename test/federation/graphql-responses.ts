import type { GraphQLBody } from '../federation-harness.js';

/** The `extensions.code` of every error in a GraphQL response, in order. */
export function errorCodes(body: GraphQLBody): (string | undefined)[] {
  return (body.errors ?? []).map((error) => error.extensions?.code);
}

/** The response's data, typed for the test that asked for it; fails when the response carries no data. */
export function dataOf<T>(body: GraphQLBody): T {
  if (!body.data) throw new Error(`expected data, got ${JSON.stringify(body)}`);
  return body.data as T;
}

/** The data of an answer that must be a 200 without errors, typed for the test that asked for it. */
export function answeredDataOf<T>(answer: { status: number; body: GraphQLBody }): T {
  expect(answer.body.errors).toBeUndefined();
  expect(answer.status).toBe(200);
  return dataOf<T>(answer.body);
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: GraphQLBody | null;
}

/** POSTs an arbitrary body (not necessarily valid JSON) to a URL, for requests the harness cannot make. */
export async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: GraphQLBody | null = null;
  try {
    parsed = JSON.parse(text) as GraphQLBody;
  } catch {
    parsed = null;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export const postGraphQL = (
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> => postRaw(url, JSON.stringify({ query }), headers);
