/**
 * `npm run bench:index-memory -- [--members 3000] [--entries 200000]`: what each index of the two largest
 * collections costs the embedded store's heap, per document, with the product's own index definitions:
 *
 * - **events**: a seeded population's (`seedFederation`, one brand's), every event then marked published as
 *   the outbox relay leaves it;
 * - **points_ledger**: `--entries` entries shaped as the points consumer writes them (7,000 members, a third
 *   of the entries with an order reference, as purchases carry), after the wallet history's and the
 *   analytics' range reads have built their index orders.
 *
 * Each index is dropped in turn, the heap measured after a full collection before and after: bytes of heap per
 * document. Runs the store in this process, with node's `--expose-gc` (the npm script passes it).
 */
import mongoose from 'mongoose';
import { pointsLedgerModel } from '../subgraphs/benefits/data/points-ledger.js';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { seedFederation } from '../tools/seed/seed-federation.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions(
  { members: 3_000, entries: 200_000 },
  'npm run bench:index-memory -- [--members 3000] [--entries 200000]',
);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) {
  console.error('Run with node --expose-gc (npm run bench:index-memory does).');
  process.exit(2);
}
/** Heap in use after full collections: what is still referenced. */
const heapBytes = (): number => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};

/** Drops every index but `_id` of `collection` in turn and prints the heap each one held, per document. */
async function indexCosts(collection: mongoose.mongo.Collection, label: string): Promise<void> {
  const documents = await collection.estimatedDocumentCount();
  console.log(`\n${label}: ${documents.toLocaleString('en-US')} documents`);
  let before = heapBytes();
  for (const index of await collection.indexes()) {
    if (index.name === '_id_') continue;
    await collection.dropIndex(index.name!);
    const after = heapBytes();
    const partial = index.partialFilterExpression
      ? ` where ${JSON.stringify(index.partialFilterExpression)}`
      : '';
    console.log(
      `  ${JSON.stringify(index.key)}${partial}: ${Math.round((before - after) / documents)} bytes per document`,
    );
    before = after;
  }
}

const mongo = await startEmbeddedMongo({ port: 0 });
try {
  const registry = loadPartnerRegistry(partnerRegistryPath());
  const dbs = await openFederationDatabases(mongo.uri, `indexmemory${Date.now().toString(36)}`, registry);
  console.log(`Seeding ${counts.members} members…`);
  await seedFederation(registry, dbs, {
    members: counts.members,
    seed: 42,
    now: new Date(),
    progress: false,
  });
  const brand = registry.partners[0].key;
  const events = dbs.brands.get(brand)!.connection.collection('events');
  await events.updateMany({}, { $set: { published: true, publishedAt: new Date() } });
  await indexCosts(events, `events of ${brand}, all published`);

  const ledgerDb = await mongoose
    .createConnection(`${mongo.uri}/${dbs.benefits.connection.name}`)
    .asPromise();
  await pointsLedgerModel(ledgerDb).init();
  const ledger = ledgerDb.collection('points_ledger');
  console.log(`\nWriting ${counts.entries} ledger entries…`);
  const start = Date.UTC(2025, 0, 1);
  let batch: Record<string, unknown>[] = [];
  for (let i = 0; i < counts.entries; i++) {
    const partner = registry.partners[i % registry.partners.length].key;
    const key = `${partner}:${partner}-e${String(i).padStart(8, '0')}`;
    const recordedAt = new Date(start + Math.floor(i / 40) * 1_000);
    const points = 10 + (i % 300);
    batch.push({
      _id: key,
      memberId: `M${String(i % 7_000).padStart(6, '0')}`,
      kind: 'earn',
      points,
      partner,
      sourceEventId: key,
      occurredAt: new Date(start - (i % 365) * 86_400_000 + i),
      availableAt: recordedAt,
      recordedAt,
      settlementMonth: '2026-12',
      orderRef: i % 3 === 0 ? `${partner}:O${i}` : null,
      reference: null,
      allocations: [{ lotId: key, points }],
      awaitingPoints: 0,
      unrecoveredPoints: 0,
      payment: null,
      refund: null,
      fingerprint: ((i * 2_654_435_761) % 2 ** 48).toString(16).padStart(12, '0'),
    });
    if (batch.length === 5_000 || i === counts.entries - 1) {
      await ledger.insertMany(batch);
      batch = [];
    }
  }
  // The wallet history's page and the analytics' time range: the reads that build the index orders in use.
  await ledger
    .find({ memberId: 'M000001', recordedAt: { $lt: new Date() } })
    .sort({ recordedAt: -1, _id: -1 })
    .limit(20)
    .toArray();
  await ledger
    .find({ occurredAt: { $gte: new Date(start - 30 * 86_400_000) } })
    .limit(5)
    .toArray();
  await indexCosts(ledger, 'points_ledger');
  await ledgerDb.close();
  await dbs.close();
} finally {
  await mongo.stop();
}
