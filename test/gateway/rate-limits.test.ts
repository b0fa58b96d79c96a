import type { GatewaySettings } from '../../subgraphs/shared/config/environment.js';
import { createRateLimiter } from '../../subgraphs/shared/rate-limit/create-rate-limiter.js';
import type { RateLimiter } from '../../subgraphs/shared/rate-limit/rate-limiter.js';
import { deleteRedisKeys } from '../../tools/local-federation/delete-redis-keys.js';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { postRaw } from '../federation/graphql-responses.js';
import { testKeyPrefix } from '../test-key-prefix.js';
import type { ExtraGateway } from './gateway-over-federation.js';
import { startGatewayOver } from './gateway-over-federation.js';

/*
 * Rate limits through the real gateway and the real ingest endpoint, with small limits and a clock the
 * test moves: buckets on Redis when REDIS_URL is set (the deployed path), in-process otherwise.
 */
const redisUrl = process.env.REDIS_URL;
const keyPrefix = testKeyPrefix('rate-limits');
let now = 1_700_000_000_000;
const clock = () => now;
const openLimiter = (name: string): RateLimiter =>
  createRateLimiter({
    url: redisUrl,
    keyPrefix: `${keyPrefix}${name}:`,
    name,
    clock,
    // Tests share two loaded cores: a generous timeout keeps Redis the one deciding.
    timeoutMs: 2_000,
    onError: (error) => {
      throw error;
    },
  });

const ME = '{ me { id } }';
const ingestLimit = { burst: 2, perSecond: 0.5 };

describe('rate limits', () => {
  let fed: TestFederation;
  let gateway: ExtraGateway;
  const limiters: RateLimiter[] = [];
  let member: string;
  let otherMember: string;
  let admin: string;

  beforeAll(async () => {
    limiters.push(openLimiter('gateway'), openLimiter('ingest'));
    fed = await startTestFederation({
      members: 10,
      ingestRateLimit: { limiter: limiters[1], limit: ingestLimit },
    });
    gateway = await startGatewayOver(fed, {
      settings: (defaults): GatewaySettings => ({
        ...defaults,
        rateLimits: {
          enabled: true,
          trustedProxies: 0,
          byRole: {
            anonymous: { burst: 2, perSecond: 1 },
            member: { burst: 3, perSecond: 1 },
            partner: { burst: 3, perSecond: 1 },
            admin: { burst: 5, perSecond: 1 },
          },
        },
      }),
      rateLimiter: limiters[0],
    });
    member = await fed.token({ role: 'member', memberId: 'M000001' });
    otherMember = await fed.token({ role: 'member', memberId: 'M000002' });
    admin = await fed.token({ role: 'admin', subject: 'ops-1' });
  });

  afterAll(async () => {
    await gateway?.close();
    await fed?.stop();
    await Promise.all(limiters.map((limiter) => limiter.close()));
    if (redisUrl) await deleteRedisKeys(redisUrl, keyPrefix);
  });

  describe('at the gateway, per principal', () => {
    it('answers a burst beyond the limit with 429, Retry-After and RATE_LIMITED; others are unaffected', async () => {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await gateway.query(ME, { token: member })).status);
      expect(statuses).toEqual([200, 200, 200]);

      const refused = await gateway.query(ME, { token: member });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toEqual({
        errors: [
          {
            message: 'Too many requests from this account; retry after 1 s.',
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });

      const other = await gateway.query(ME, { token: otherMember });
      expect(other.status).toBe(200);
      expect(other.body.data).toEqual({ me: { id: 'M000002' } });
      expect((await gateway.query('{ members(first: 1) { totalCount } }', { token: admin })).status).toBe(
        200,
      );
    });

    it('refuses before reading the body: a body that is not even JSON gets the 429, not a 400', async () => {
      const refused = await postRaw(gateway.url, 'not json', { authorization: `Bearer ${member}` });
      expect(refused.status).toBe(429);
      expect(refused.body?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });

    it('lets the principal in again once its bucket has refilled', async () => {
      now += 1_000;
      expect((await gateway.query(ME, { token: member })).status).toBe(200);
      expect((await gateway.query(ME, { token: member })).status).toBe(429);
      now += 3_600_000;
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await gateway.query(ME, { token: member })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('limits callers without a valid token by address, with the anonymous limit', async () => {
      now += 3_600_000;
      const anonymous = [];
      for (let i = 0; i < 3; i += 1) anonymous.push((await gateway.query('{ __typename }')).status);
      expect(anonymous).toEqual([200, 200, 429]);
      // A bad token does not buy a bucket of its own: it is the same address, already limited.
      const forged = await gateway.query('{ __typename }', { token: 'not-a-token' });
      expect(forged.status).toBe(429);
      // A member from the same address has a bucket of their own.
      expect((await gateway.query(ME, { token: member })).status).toBe(200);
    });

    it('leaves /health and /ready alone', async () => {
      const health = new URL('/health', gateway.url);
      for (let i = 0; i < 5; i += 1) expect((await fetch(health)).status).toBe(200);
    });
  });

  describe('at ingest, per partner', () => {
    const body = JSON.stringify([{}]);

    it('answers a burst beyond the limit with 429, Retry-After and RATE_LIMITED; other partners are unaffected', async () => {
      const statuses = [];
      for (let i = 0; i < 2; i += 1) statuses.push((await fed.ingest('inkwell', body)).status);
      expect(statuses).toEqual([200, 200]);

      const refused = await fed.ingest('inkwell', body);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.body).toEqual({
        error: {
          code: 'RATE_LIMITED',
          message:
            'too many ingest requests from inkwell; retry after 2 s (nothing in this request was stored)',
        },
      });
      expect((await fed.ingest('pulsefit', body)).status).toBe(200);
    });

    it('checks the signature first, so unsigned requests neither pass nor drain the bucket', async () => {
      expect((await fed.ingest('pulsefit', body, { signature: null })).status).toBe(401);
      expect((await fed.ingest('pulsefit', body, { signature: null })).status).toBe(401);
      // pulsefit used one token above; the refused requests took none.
      expect((await fed.ingest('pulsefit', body)).status).toBe(200);
      expect((await fed.ingest('pulsefit', body)).status).toBe(429);
    });

    it('accepts the partner again once its bucket has refilled', async () => {
      now += 2_000;
      expect((await fed.ingest('inkwell', body)).status).toBe(200);
      expect((await fed.ingest('inkwell', body)).status).toBe(429);
    });
  });
});
