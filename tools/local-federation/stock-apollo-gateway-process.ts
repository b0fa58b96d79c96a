/**
 * A stock Apollo gateway over the product's subgraphs, the benchmark's reference (`npm run bench`): Apollo
 * Server's standalone HTTP server and `ApolloGateway` with the committed supergraph, every option at its
 * default (query-plan cache, `RemoteGraphQLDataSource` and its default fetcher), no plugins.
 *
 * One addition only, because without it no subgraph answers: the subgraphs accept nothing but the gateway's
 * short-lived internal token (subgraphs/shared/auth/internal-token.ts), never a client's bearer token. So the
 * context verifies the client's `Authorization` header as any gateway in front of these subgraphs must, signs
 * the internal token for that member once per request, and `willSendRequest` puts it on each subgraph fetch:
 * the same two signatures per request the product gateway does, and nothing else of the product.
 * Run by scripts/bench-dashboard.ts as a child process; SUBGRAPH_URL_<NAME> give the subgraphs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createClientTokenVerifier } from '../../gateway/client-auth.js';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '../../subgraphs/shared/auth/internal-token.js';
import { readEnvironment } from '../../subgraphs/shared/config/environment.js';
import { supergraphPath } from '../../subgraphs/shared/config/paths.js';
import { announceReady, stopWhenSupervisorGone } from '../../subgraphs/shared/supervised-process.js';

interface StockContext {
  internalToken: string;
}

const env = readEnvironment();
const verify = createClientTokenVerifier(env.auth);

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource<StockContext>({
      url: env.subgraphUrls[name] ?? url,
      willSendRequest({ request, context }) {
        request.http?.headers.set(INTERNAL_TOKEN_HEADER, context.internalToken);
      },
    }),
});
// Defaults, but for how it stops: Apollo's own SIGTERM handler ends the process by the signal again, which
// would lose the CPU profile `npm run bench -- --cpu-prof` asks for; this one exits as the other services do.
const server = new ApolloServer<StockContext>({ gateway, stopOnTerminationSignals: false });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async ({ req }) => ({
    internalToken: await signInternalToken(
      await verify(req.headers.authorization),
      env.auth.internalTokenSecret,
      randomUUID(),
    ),
  }),
});
const stop = () => void server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
stopWhenSupervisorGone(stop);
announceReady({ stock: url });
