import { parse } from 'graphql';
import type { GraphQLRequestScreen } from '../../subgraphs/shared/http/graphql-routes.js';
import type { Refusal } from '../../subgraphs/shared/http/http-route.js';
import type { OperationManifest } from './operation-manifest.js';
import { canonicalOperation } from './operation-manifest.js';

const NOT_ALLOWED: Refusal = {
  code: 'PERSISTED_QUERY_NOT_ALLOWED',
  message: 'Only the operations published for this graph run here, and this is not one of them.',
};

/**
 * Safelist mode: refuses (403 PERSISTED_QUERY_NOT_ALLOWED), before Apollo parses or plans anything, every
 * operation that is not published — a hash not in the manifest, or a query whose canonical text matches no
 * published operation. A query is parsed (within the token limit) only when it is not a published text
 * verbatim. This runs in the HTTP layer because Apollo turns an error thrown by a plugin before parsing
 * into a 500, and answers an unknown hash with PERSISTED_QUERY_NOT_FOUND before any later hook.
 */
export function safelistScreen(manifest: OperationManifest, maxTokens: number): GraphQLRequestScreen {
  const isPublishedText = (query: string): boolean => {
    if (manifest.bodies.has(query)) return true;
    try {
      return manifest.bodies.has(canonicalOperation(parse(query, { maxTokens, noLocation: true })));
    } catch {
      return false;
    }
  };
  return ({ query, extensions }) => {
    const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
      ?.persistedQuery;
    const hash = persisted?.sha256Hash;
    const published =
      typeof query === 'string'
        ? isPublishedText(query)
        : typeof hash === 'string' && manifest.byId.has(hash);
    return published ? null : NOT_ALLOWED;
  };
}
