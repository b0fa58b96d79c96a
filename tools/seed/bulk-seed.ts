import type { Model } from 'mongoose';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import type { EventDocument } from '../../subgraphs/brand/data/brand-models.js';
import { brandModels } from '../../subgraphs/brand/data/brand-models.js';
import { memberModel } from '../../subgraphs/profile/data/member-model.js';
import { MemberStore } from '../../subgraphs/profile/data/member-store.js';
import type { FederationDatabases } from '../local-federation/federation-databases.js';
import {
  BulkBrandIngest,
  SEED_INGEST_BATCH,
  SeedRejectedError,
  eventsInIngestOrder,
} from './bulk-brand-ingest.js';
import type { DemoPopulation } from './demo-population.js';
import { ProgressBar } from './progress-bar.js';
import { populationWrites } from './seed-demo-data.js';

/** Documents per insert: large unordered batches, each one round trip. */
const WRITE_BATCH = 5_000;

/**
 * Casts and validates documents with the collection's mongoose schema, as a model's own writes do, then
 * inserts them in large unordered batches. A document the schema refuses stops the seed before its batch is
 * written, naming the document and the field.
 */
export async function insertValidated<T>(
  model: Model<T>,
  docs: readonly T[],
  onWritten: (n: number) => void = () => undefined,
): Promise<void> {
  for (let i = 0; i < docs.length; i += WRITE_BATCH) {
    const hydrated = docs.slice(i, i + WRITE_BATCH).map((doc) => new model(doc));
    const errors = await Promise.all(
      hydrated.map((doc) =>
        doc.validate().then(
          () => null,
          (e: Error) => e,
        ),
      ),
    );
    const invalid = errors.findIndex((e) => e !== null);
    if (invalid >= 0) {
      throw new SeedRejectedError(
        `Seed document ${model.collection.collectionName}/${String(hydrated[invalid]._id)} is invalid: ${errors[invalid]!.message}`,
      );
    }
    const batch = hydrated.map((doc) => doc.toObject() as Record<string, unknown>);
    await model.collection.insertMany(batch as never[], { ordered: false });
    onWritten(batch.length);
  }
}

/**
 * Writes a population the fast way, with the same result as `writePopulation` (the services' write paths,
 * one request at a time): members through `MemberStore.upsertMembers` in large batches; each brand's events
 * through the ingest pipeline's own validation, checks and effects replayed in memory (`BulkBrandIngest`),
 * so that the accounts, orders, referrals and events are inserted once, final, validated by their schemas.
 * Expects empty, indexed collections (`federationStores` after `dbs.drop()`).
 */
export async function bulkWritePopulation(
  registry: PartnerRegistry,
  dbs: FederationDatabases,
  population: DemoPopulation,
  options: { now: Date; progress?: boolean },
): Promise<void> {
  const bar = options.progress ? new ProgressBar('seeding (bulk)', populationWrites(population)) : null;
  let done = 0;
  const step = (n: number) => bar?.update((done += n));

  const members = new MemberStore(memberModel(dbs.profile.connection));
  for (let i = 0; i < population.members.length; i += WRITE_BATCH) {
    const batch = population.members.slice(i, i + WRITE_BATCH);
    await members.upsertMembers(batch);
    step(batch.length);
  }
  for (const partner of registry.partners) {
    const seed = population.brands.get(partner.key);
    if (!seed) continue;
    const models = brandModels(dbs.brands.get(partner.key)!.connection);
    const ingest = new BulkBrandIngest(partner, options.now);
    ingest.addAccounts(seed.accounts);
    const events = eventsInIngestOrder(seed.events);
    let pending: EventDocument[] = [];
    for (let i = 0; i < events.length; i += SEED_INGEST_BATCH) {
      pending.push(...ingest.ingest(events.slice(i, i + SEED_INGEST_BATCH)));
      if (pending.length >= WRITE_BATCH || i + SEED_INGEST_BATCH >= events.length) {
        // As the ingest pipeline writes them (`insertNewDocuments`): validated by `parsePartnerEvent` and
        // the checks, inserted lean.
        await models.Event.insertMany(pending, { ordered: false, lean: true });
        step(pending.length);
        pending = [];
      }
    }
    const { accounts, orders, referrals } = ingest.finish();
    await insertValidated(models.Account, accounts, step);
    await insertValidated(models.Order, orders);
    await insertValidated(models.Referral, referrals);
  }
}
