import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createHash } from 'node:crypto';
import type { MemberResponseGenerations } from '../../subgraphs/shared/cache/member-response-generations.js';
import type { GatewayContext } from '../gateway-context.js';
import { countResponseCacheOutcome } from './response-cache-metrics.js';

export interface MemberResponseCacheOptions {
  /** The members' response generations, in the cache the subgraphs advance them in. */
  generations: MemberResponseGenerations;
  /** Where whole answers are kept (a bounded in-process LRU). */
  answers: KeyValueCache<string>;
  ttlSeconds: number;
}

type SingleResult = Extract<GraphQLResponse['body'], { kind: 'single' }>['singleResult'];

/**
 * Whole answers to a member's own queries, served again while nothing about the member has changed: the
 * repeated reads of mobile apps. The key holds the member, their response generation (advanced by every
 * event applied to them, consent or link change and wallet write, docs/architecture.md §10), the
 * operation's text, name and variables: an answer can only ever be served to the member it was computed
 * for, and never after a change. Mutations, other roles and answers with errors are never cached; a
 * member's own mutation advances their generation, and anyone else's mutation the programme's. Operation limits still run first: a cached answer
 * skips only planning and the subgraph fetches.
 */
export function memberResponseCachePlugin(
  options: MemberResponseCacheOptions,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const { principal } = contextValue;
      if (principal.role !== 'member') {
        return {
          async willSendResponse({ operation }) {
            // Staff, operators and partner services change what many members see (campaigns, adjustments).
            if (operation?.operation === 'mutation') await options.generations.advanceProgramme();
          },
        };
      }
      const memberId = principal.memberId;
      let keyToStore: string | undefined;
      return {
        async responseForOperation(requestContext) {
          if (requestContext.operation.operation !== 'query') return null;
          const generation = await options.generations.current(memberId);
          const key = answerKey(memberId, generation, requestContext);
          const cached = await options.answers.get(key);
          if (cached === undefined) {
            keyToStore = key;
            countResponseCacheOutcome('miss');
            return null;
          }
          countResponseCacheOutcome('hit');
          return {
            http: { status: undefined, headers: new HeaderMap([['x-response-cache', 'hit']]) },
            body: { kind: 'single', singleResult: JSON.parse(cached) as SingleResult },
          };
        },
        async willSendResponse({ operation, response }) {
          if (operation?.operation === 'mutation') {
            await options.generations.advance(memberId); // what the member just did may change their answers
            return;
          }
          if (!keyToStore || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors?.length) return; // partial or failed answers are asked again
          response.http.headers.set('x-response-cache', 'miss');
          await options.answers.set(keyToStore, JSON.stringify(result), { ttl: options.ttlSeconds });
        },
      };
    },
  };
}

function answerKey(
  memberId: string,
  generation: string,
  { source, request }: GraphQLRequestContext<GatewayContext>,
): string {
  const identity = JSON.stringify([
    memberId,
    generation,
    source,
    request.operationName ?? null,
    request.variables ?? null,
  ]);
  return `answer:${memberId}:${createHash('sha256').update(identity).digest('base64url')}`;
}
