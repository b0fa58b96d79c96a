import type { ApolloServerPlugin } from '@apollo/server';
import { parse } from 'graphql';
import { AppError } from '../../subgraphs/shared/errors.js';
import type { GatewayContext } from '../gateway-context.js';
import type { OperationManifest } from './operation-manifest.js';
import { canonicalOperation } from './operation-manifest.js';

const notAllowed = () =>
  new AppError(
    'PERSISTED_QUERY_NOT_ALLOWED',
    'Only the operations published for this graph run here, and this is not one of them.',
  );

/**
 * Safelist mode: before Apollo looks at the request, refuses (403 PERSISTED_QUERY_NOT_ALLOWED) any operation
 * that is not published — a hash not in the manifest, or a full query whose canonical text matches no
 * published operation. The text is parsed (within the token limit) only when it is not a published text
 * verbatim. Thrown from `requestDidStart`, the error answers the whole request with its status.
 */
export function safelistPlugin(
  manifest: OperationManifest,
  maxTokens: number,
): ApolloServerPlugin<GatewayContext> {
  const isPublishedText = (query: string): boolean => {
    if (manifest.bodies.has(query)) return true;
    try {
      return manifest.bodies.has(canonicalOperation(parse(query, { maxTokens, noLocation: true })));
    } catch {
      return false;
    }
  };
  return {
    async requestDidStart({ request }) {
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      const published =
        typeof request.query === 'string'
          ? isPublishedText(request.query)
          : typeof hash === 'string' && manifest.byId.has(hash);
      if (!published) throw notAllowed();
    },
  };
}
