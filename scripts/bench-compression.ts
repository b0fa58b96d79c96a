/**
 * npm run bench:compression -- [--members 2000] [--rounds 3] [--min-documents 1000]
 * What a compressed collection's dictionary size buys (`tools/embedded-mongo/storage/dictionary-codec.ts`):
 * seeds an in-process embedded store, then for each collection of at least `--min-documents` builds
 * dictionaries of 2, 4 and 8 KB from documents spread over it (as the store does when the collection grows
 * past `EMBEDDED_MONGO_COMPRESS_AFTER`) and deflates every document against each: how many times smaller
 * the documents get, and microseconds a document (the median of the rounds, each after one warm-up pass).
 * Figures are for comparison within one run; nothing here asserts a time.
 */
import type { Connection } from 'mongoose';
import { loadPartnerRegistry } from '../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath } from '../subgraphs/shared/config/paths.js';
import { startEmbeddedMongo } from '../tools/embedded-mongo/index.js';
import { compressionDictionary } from '../tools/embedded-mongo/storage/dictionary-codec.js';
import { openFederationDatabases } from '../tools/local-federation/federation-databases.js';
import { seedFederation } from '../tools/seed/seed-federation.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions(
  { members: 2_000, rounds: 3, 'min-documents': 1_000 },
  'npm run bench:compression -- [--members 2000] [--rounds 3] [--min-documents 1000]',
);
const DICTIONARY_SIZES = [8 * 1024, 4 * 1024, 2 * 1024];

/** Every document of `name` as its BSON bytes. */
async function encodedDocuments(connection: Connection, name: string): Promise<Buffer[]> {
  const cursor = connection.db!.collection(name).find({}, { raw: true });
  return (await cursor.toArray()) as unknown as Buffer[];
}

function measure(documents: Buffer[], dictionaryBytes: number): { ratio: number; micros: number } {
  const stride = Math.max(1, Math.floor(documents.length / 16));
  const codec = compressionDictionary(
    documents.filter((_, i) => i % stride === 0),
    dictionaryBytes,
  );
  let packed = 0;
  for (const document of documents) packed += codec.deflate(document).length;
  const times: number[] = [];
  for (let round = 0; round < counts.rounds; round += 1) {
    const started = performance.now();
    for (const document of documents) codec.deflate(document);
    times.push(((performance.now() - started) * 1000) / documents.length);
  }
  const bson = documents.reduce((sum, document) => sum + document.length, 0);
  return { ratio: bson / packed, micros: times.sort((a, b) => a - b)[Math.floor(times.length / 2)] };
}

const mongo = await startEmbeddedMongo({ port: 0 });
try {
  const registry = loadPartnerRegistry(partnerRegistryPath());
  const dbs = await openFederationDatabases(mongo.uri, `compression${Date.now().toString(36)}`, registry);
  console.log(`Seeding ${counts.members} members…`);
  await seedFederation(registry, dbs, { members: counts.members, seed: 42, now: new Date(), progress: true });
  const connections = [
    ...[...dbs.brands.values()].map((db) => db.connection),
    dbs.profile.connection,
    dbs.benefits.connection,
  ];
  console.log(
    `\nDeflated against dictionaries of ${DICTIONARY_SIZES.map((size) => `${size / 1024} KB`).join(', ')}: times smaller, µs a document`,
  );
  for (const connection of connections) {
    for (const { name } of await connection.db!.listCollections().toArray()) {
      const documents = await encodedDocuments(connection, name);
      if (documents.length < counts['min-documents']) continue;
      const average = documents.reduce((sum, document) => sum + document.length, 0) / documents.length;
      const cells = DICTIONARY_SIZES.map((size) => {
        const { ratio, micros } = measure(documents, size);
        return `${size / 1024} KB ${ratio.toFixed(2)}× ${micros.toFixed(1)} µs`;
      });
      console.log(
        `  ${connection.name}.${name} (${documents.length} documents, ${average.toFixed(0)} B each): ${cells.join(' | ')}`,
      );
    }
  }
  await dbs.drop();
  await dbs.close();
} finally {
  await mongo.stop();
}
