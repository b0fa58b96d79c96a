import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'mongoose';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import type { EmbeddedMongo } from '../embedded-mongo/index.js';
import { loadPartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../../subgraphs/shared/config/paths.js';
import type { FederationDatabases } from '../local-federation/federation-databases.js';
import { federationStores, openFederationDatabases } from '../local-federation/federation-databases.js';
import { bulkWritePopulation } from './bulk-seed.js';
import { SeedRejectedError } from './bulk-brand-ingest.js';
import type { DemoPopulation } from './demo-population.js';
import { generateDemoPopulation } from './demo-population.js';
import { writePopulation } from './seed-demo-data.js';

const registry = loadPartnerRegistry(partnerRegistryPath());
const now = new Date('2026-11-20T08:00:00Z');
/** Written at ingest time, so they differ between two runs of either path. */
const VOLATILE = new Set(['receivedAt', 'appliedAt']);

async function dumpDatabase(connection: Connection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of await connection.db!.listCollections().toArray()) {
    const docs = await connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
    out[name] = docs.map((doc) =>
      Object.fromEntries(Object.entries(doc).filter(([key]) => !VOLATILE.has(key))),
    );
  }
  return out;
}

async function dumpFederation(dbs: FederationDatabases): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { profile: await dumpDatabase(dbs.profile.connection) };
  for (const [key, db] of dbs.brands) out[key] = await dumpDatabase(db.connection);
  return out;
}

/** A copy of a population whose first event of one partner is changed by `change`. */
function withChangedEvent(
  population: DemoPopulation,
  partner: string,
  change: (event: Record<string, unknown>) => void,
): DemoPopulation {
  const brands = new Map(population.brands);
  const seed = population.brands.get(partner)!;
  const events = seed.events.map((e) => ({ ...e }));
  change(events[0] as Record<string, unknown>);
  brands.set(partner, { ...seed, events: events as typeof seed.events });
  return { ...population, brands };
}

describe('bulk seed', () => {
  let embedded: EmbeddedMongo | null = null;
  let uri: string;
  let run = 0;
  const open = async (): Promise<FederationDatabases> => {
    const dbs = await openFederationDatabases(uri, `bulk${Date.now().toString(36)}${run++}`, registry);
    await federationStores(dbs, registry);
    return dbs;
  };

  beforeAll(async () => {
    embedded = process.env.MONGODB_URI ? null : await startEmbeddedMongo({ port: 0 });
    uri = process.env.MONGODB_URI ?? embedded!.uri;
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('writes the same documents as the per-request path', async () => {
    const population = generateDemoPopulation(registry, { members: 150, seed: 7, now });
    const [slow, fast] = [await open(), await open()];
    try {
      await writePopulation(await federationStores(slow, registry), population, {});
      await bulkWritePopulation(registry, fast, population, { now });
      const expected = await dumpFederation(slow);
      const actual = await dumpFederation(fast);
      // A population large enough to have refunds and referrals: both paths are compared on them too.
      const brand = expected[registry.partners[0].key] as Record<string, unknown[]>;
      expect(brand.events.length).toBeGreaterThan(1000);
      expect(
        registry.partners.some(
          (p) => ((expected[p.key] as Record<string, unknown[]>).referrals ?? []).length > 0,
        ),
      ).toBe(true);
      expect(
        registry.partners.some((p) =>
          (expected[p.key] as Record<string, { refundEventIds: string[] }[]>).orders.some(
            (o) => o.refundEventIds.length > 0,
          ),
        ),
      ).toBe(true);
      expect(actual).toEqual(expected);
      // Both leave the seed's history settled: no event keeps its guard, no account a pending id.
      for (const p of registry.partners) {
        const brand = actual[p.key] as Record<string, Record<string, unknown>[]>;
        expect(brand.events.filter((e) => 'guardHeld' in e)).toEqual([]);
        expect(brand.accounts.filter((a) => (a.pendingEventIds as unknown[] | undefined)?.length)).toEqual(
          [],
        );
      }
    } finally {
      await Promise.all([slow.drop(), fast.drop()]);
      await Promise.all([slow.close(), fast.close()]);
    }
  });

  it('rejects an event the ingest endpoint would reject, naming it and the reason', async () => {
    const population = generateDemoPopulation(registry, { members: 20, seed: 7, now });
    const partner = registry.partners[0].key;
    const dbs = await open();
    try {
      const bad = withChangedEvent(population, partner, (e) => (e.occurredAt = '2099-01-01T00:00:00Z'));
      const eventId = population.brands.get(partner)!.events[0].eventId;
      await expect(bulkWritePopulation(registry, dbs, bad, { now })).rejects.toThrow(
        new SeedRejectedError(`Seed event ${eventId} was rejected: occurredAt is in the future`),
      );
      const unknown = withChangedEvent(population, partner, (e) => (e.brandMemberId = 'NOBODY'));
      const other = await open();
      await expect(bulkWritePopulation(registry, other, unknown, { now }))
        .rejects.toThrow(/Seed event .* was rejected: .*NOBODY/)
        .finally(async () => {
          await other.drop();
          await other.close();
        });
    } finally {
      await dbs.drop();
      await dbs.close();
    }
  });

  it('rejects a document its schema refuses, before writing its batch', async () => {
    const population = generateDemoPopulation(registry, { members: 20, seed: 7, now });
    const partner = registry.partners[0].key;
    const seed = population.brands.get(partner)!;
    const accounts = seed.accounts.map((a, i) => (i === 3 ? { ...a, displayName: undefined as never } : a));
    const bad = { ...population, brands: new Map(population.brands).set(partner, { ...seed, accounts }) };
    const dbs = await open();
    try {
      await expect(bulkWritePopulation(registry, dbs, bad, { now })).rejects.toThrow(
        new RegExp(`Seed document accounts/${seed.accounts[3].brandMemberId} is invalid: .*displayName`),
      );
      const stored = await dbs.brands.get(partner)!.connection.collection('accounts').countDocuments();
      expect(stored).toBe(0);
    } finally {
      await dbs.drop();
      await dbs.close();
    }
  });
});
