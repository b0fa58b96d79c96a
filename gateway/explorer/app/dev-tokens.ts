/** A development token the gateway offers outside production (GET /explorer/dev-tokens). */
export interface DevToken {
  label: string;
  token: string;
}

/** The tokens on offer, or none (production, or tokens from an identity provider). */
export async function fetchDevTokens(): Promise<DevToken[]> {
  const response = await fetch('/explorer/dev-tokens', { headers: { accept: 'application/json' } });
  if (!response.ok) return [];
  const body = (await response.json()) as { tokens?: DevToken[] };
  return body.tokens ?? [];
}

export const authorizationHeaders = (token: string): string =>
  JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2);
