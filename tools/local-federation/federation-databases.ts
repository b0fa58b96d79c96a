import { BrandAccountStore } from '../../subgraphs/brand/data/brand-account-store.js';
import { BrandEventIngestor } from '../../subgraphs/brand/ingest/brand-event-ingestor.js';
import { GuardedEventWriter } from '../../subgraphs/brand/ingest/guarded-event-writer.js';
import { IngestRecovery } from '../../subgraphs/brand/ingest/ingest-recovery.js';
import { brandModels } from '../../subgraphs/brand/data/brand-models.js';
import { memberModel } from '../../subgraphs/profile/data/member-model.js';
import { MemberStore } from '../../subgraphs/profile/data/member-store.js';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { DatabaseHandle, DatabaseOptions } from '../../subgraphs/shared/db/mongo-connection.js';
import { databaseName, openDatabase } from '../../subgraphs/shared/db/mongo-connection.js';

/** One database per subgraph (docs/architecture.md §5): a brand's data stays in that brand's own store. */
export interface FederationDatabases {
  profile: DatabaseHandle;
  benefits: DatabaseHandle;
  brands: Map<string, DatabaseHandle>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

export async function openFederationDatabases(
  uri: string,
  prefix: string,
  registry: PartnerRegistry,
  options: DatabaseOptions = {},
): Promise<FederationDatabases> {
  const [profile, benefits, ...brandHandles] = await Promise.all([
    openDatabase(uri, databaseName(prefix, 'profile'), options),
    openDatabase(uri, databaseName(prefix, 'benefits'), options),
    ...registry.partners.map((p) => openDatabase(uri, databaseName(prefix, `brand_${p.key}`), options)),
  ]);
  const brands = new Map(registry.partners.map((p, i) => [p.key, brandHandles[i]]));
  const all = [profile, benefits, ...brandHandles];
  return {
    profile,
    benefits,
    brands,
    close: async () => {
      await Promise.all(all.map((db) => db.close()));
    },
    drop: async () => {
      await Promise.all(all.map((db) => db.connection.dropDatabase()));
    },
  };
}

export interface BrandWriters {
  accounts: BrandAccountStore;
  /** The same ingest pipeline as the brand's signed endpoint. */
  ingestor: BrandEventIngestor;
  /** The brand's recovery sweep over the same writer (a seed settles its events' guards with it). */
  recovery: IngestRecovery;
}

export interface FederationStores {
  members: MemberStore;
  brands: Map<string, BrandWriters>;
}

export async function federationStores(
  dbs: FederationDatabases,
  registry: PartnerRegistry,
): Promise<FederationStores> {
  const members = memberModel(dbs.profile.connection);
  await members.syncIndexes();
  const brands = new Map<string, BrandWriters>();
  for (const partner of registry.partners) {
    const models = brandModels(dbs.brands.get(partner.key)!.connection);
    await Promise.all([models.Account.syncIndexes(), models.Order.init(), models.Event.syncIndexes()]);
    const writer = new GuardedEventWriter(models, partner);
    brands.set(partner.key, {
      accounts: new BrandAccountStore(models),
      ingestor: new BrandEventIngestor(models, partner, writer),
      recovery: new IngestRecovery(models, writer),
    });
  }
  return { members: new MemberStore(members), brands };
}
