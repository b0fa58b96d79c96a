import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadOperationManifest, operationHash } from '../../gateway/persisted-queries/operation-manifest.js';
import { TieredQueryCache } from '../../gateway/persisted-queries/tiered-query-cache.js';
import { createKeyValueCache } from '../../subgraphs/shared/cache/create-key-value-cache.js';
import type { KeyValueCache } from '../../subgraphs/shared/cache/key-value-cache.js';
import { MemoryKeyValueCache } from '../../subgraphs/shared/cache/memory-key-value-cache.js';
import { operationManifestPath, operationsPath } from '../../subgraphs/shared/config/paths.js';
import { closeRedis, connectRedis } from '../../subgraphs/shared/redis-connection.js';
import { deleteRedisKeys } from '../../tools/local-federation/delete-redis-keys.js';
import type { GraphQLBody, TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { postRaw } from '../federation/graphql-responses.js';
import { testKeyPrefix } from '../test-key-prefix.js';
import type { ExtraGateway } from './gateway-over-federation.js';
import { startGatewayOver } from './gateway-over-federation.js';

/*
 * Persisted queries as deployed: an APQ store shared by gateway replicas (Redis when REDIS_URL is set), and
 * safelist mode, where only the operations published from operations/*.graphql run.
 */
const redisUrl = process.env.REDIS_URL;
const keyPrefix = testKeyPrefix('apq');
const QUERY = '{ me { id displayName } }';
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: operationHash(query) } });

describe('persisted queries in production', () => {
  let fed: TestFederation;
  let member: string;
  const gateways: ExtraGateway[] = [];
  const stores: KeyValueCache[] = [];

  const send = (gateway: ExtraGateway, body: object, token = member) =>
    postRaw(gateway.url, JSON.stringify(body), { authorization: `Bearer ${token}` });

  /** A replica: its own bounded LRU in front of the store shared with the other replicas. */
  const replicaStore = (shared: KeyValueCache) =>
    new TieredQueryCache(new InMemoryLRUCache<string>({ maxSize: 2 ** 20 }), shared);

  beforeAll(async () => {
    fed = await startTestFederation({ members: 10 });
    member = await fed.token({ role: 'member', memberId: 'M000001' });
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await Promise.all(stores.map((store) => store.close()));
    await fed?.stop();
    if (redisUrl) await deleteRedisKeys(redisUrl, keyPrefix);
  });

  describe(`two gateway replicas sharing ${redisUrl ? 'Redis' : 'one in-process store'}`, () => {
    let first: ExtraGateway;
    let second: ExtraGateway;

    beforeAll(async () => {
      const shared = redisUrl
        ? createKeyValueCache({
            url: redisUrl,
            keyPrefix,
            name: 'apq-test',
            timeoutMs: 2_000,
            onError: (error) => {
              throw error;
            },
          })
        : new MemoryKeyValueCache();
      stores.push(shared);
      first = await startGatewayOver(fed, { persistedQueryCache: replicaStore(shared) });
      second = await startGatewayOver(fed, { persistedQueryCache: replicaStore(shared) });
      gateways.push(first, second);
    });

    it('answers at one replica a hash registered at the other', async () => {
      const unknown = await send(second, { extensions: persisted(QUERY) });
      expect(unknown.body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      const registered = await send(first, { query: QUERY, extensions: persisted(QUERY) });
      expect(registered.status).toBe(200);
      expect(registered.body).toEqual({ data: { me: { id: 'M000001', displayName: expect.any(String) } } });

      // Apollo stores the registration without holding the answer for it: allow it a moment to land.
      let byHash: GraphQLBody | null = null;
      for (let attempt = 0; attempt < 40; attempt += 1) {
        byHash = (await send(second, { extensions: persisted(QUERY) })).body;
        if (byHash?.data) break;
        await sleep(50);
      }
      expect(byHash).toEqual(registered.body);
    });

    const onRedis = redisUrl ? it : it.skip;
    onRedis('keeps each entry in Redis for a bounded time', async () => {
      const redis = connectRedis(redisUrl!, {});
      try {
        const ttl = await redis.pttl(`${keyPrefix}apq:${operationHash(QUERY)}`);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(86_400_000);
      } finally {
        await closeRedis(redis);
      }
    });
  });

  describe('a replica whose Redis is down', () => {
    it('still answers the hashes registered with it, and asks for the query of the others', async () => {
      const down = createKeyValueCache({ url: 'redis://127.0.0.1:1', keyPrefix, onError: () => undefined });
      stores.push(down);
      const lonely = await startGatewayOver(fed, { persistedQueryCache: replicaStore(down) });
      const other = await startGatewayOver(fed, { persistedQueryCache: replicaStore(down) });
      gateways.push(lonely, other);
      const query = '{ me { id } }';
      expect((await send(lonely, { query, extensions: persisted(query) })).status).toBe(200);
      let own: GraphQLBody | null = null;
      for (let attempt = 0; attempt < 40 && !own?.data; attempt += 1) {
        if (attempt > 0) await sleep(50);
        own = (await send(lonely, { extensions: persisted(query) })).body;
      }
      expect(own).toEqual({ data: { me: { id: 'M000001' } } });
      const elsewhere = await send(other, { extensions: persisted(query) });
      expect(elsewhere.body?.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  describe('safelist mode', () => {
    let safelisted: ExtraGateway;
    const manifest = loadOperationManifest(operationManifestPath());
    const published = (name: string) =>
      JSON.parse(readFileSync(operationManifestPath(), 'utf8')).operations.find(
        (o: { name: string }) => o.name === name,
      ) as { id: string; body: string };

    beforeAll(async () => {
      safelisted = await startGatewayOver(fed, {
        settings: (defaults) => ({
          ...defaults,
          persistedQueries: { ...defaults.persistedQueries, safelist: true },
        }),
        operationManifest: manifest,
      });
      gateways.push(safelisted);
    });

    const expectNotAllowed = (response: { status: number; body: GraphQLBody | null }) => {
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        errors: [
          {
            message: 'Only the operations published for this graph run here, and this is not one of them.',
            extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
          },
        ],
      });
    };

    it('runs a published operation sent by its hash alone', async () => {
      const dashboard = published('MobileDashboard');
      const response = await send(safelisted, {
        extensions: { persistedQuery: { version: 1, sha256Hash: dashboard.id } },
      });
      expect(response.status).toBe(200);
      expect(response.body?.data).toMatchObject({ me: { id: 'M000001', profile: expect.any(Object) } });
    });

    it('runs a published operation sent in full, as written in its file (comments and layout aside)', async () => {
      const text = readFileSync(operationsPath('mobile-dashboard.graphql'), 'utf8');
      const response = await send(safelisted, { query: text });
      expect(response.status).toBe(200);
      expect(response.body?.errors).toBeUndefined();

      const staff = await fed.token({ role: 'partner_staff', partner: 'inkwell', subject: 'staff-1' });
      const lookup = await send(
        safelisted,
        {
          query: published('StaffMemberLookup').body,
          variables: { partnerMemberId: 'none' },
        },
        staff,
      );
      expect(lookup.status).toBe(200);
      expect(lookup.body).toEqual({ data: { memberByPartnerAccount: null } });
    });

    it('refuses any other operation, whether sent in full, by hash or to register it', async () => {
      expectNotAllowed(await send(safelisted, { query: QUERY }));
      expectNotAllowed(await send(safelisted, { extensions: persisted(QUERY) }));
      expectNotAllowed(await send(safelisted, { query: QUERY, extensions: persisted(QUERY) }));
      expectNotAllowed(await send(safelisted, { extensions: persisted(QUERY) }));
      // One field more than published is another operation.
      const widened = published('MobileDashboard').body.replace('displayName', 'displayName email');
      expectNotAllowed(await send(safelisted, { query: widened }));
      expectNotAllowed(await send(safelisted, { query: '{ me { ' }));
    });

    it('screens GET requests too', async () => {
      const get = async (params: Record<string, string>) => {
        const url = new URL(safelisted.url);
        for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${member}`, 'apollo-require-preflight': 'true' },
        });
        return { status: response.status, body: (await response.json()) as GraphQLBody };
      };
      expectNotAllowed(await get({ query: QUERY }));
      expectNotAllowed(await get({ extensions: JSON.stringify(persisted(QUERY)) }));
      const dashboard = published('MobileDashboard');
      const byHash = await get({
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: dashboard.id } }),
      });
      expect(byHash.status).toBe(200);
      expect(byHash.body.data).toMatchObject({ me: { id: 'M000001' } });
    });
  });
});
