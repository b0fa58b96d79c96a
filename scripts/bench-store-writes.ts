/**
 * `npm run bench:store-writes -- [--documents 5000] [--rounds 6]`: the embedded store's storage layer alone,
 * in this process, for the two costs of a write-heavy load such as the event pipeline:
 *
 * - **Encoding an update's result.** The product's three most written shapes (an event marked published, a
 *   brand account's day bucket and guard, a wallet taking a new lot) updated through a collection's
 *   `replace`, with the new version encoded whole by `serialize` and derived from the stored version's bytes
 *   (`storage/derived-encoding.ts`; the store derives documents of 1 KB and more, so the event, smaller, is
 *   encoded whole both ways and shows the noise between the two). Rounds alternate the two, so the machine's load falls on both alike; the
 *   median of each is printed, and the ratio.
 * - **Reading past the decoded copies.** Random reads over twice as many documents as the decoded-copy
 *   budget holds (`storage/stored-document.ts`): microseconds a read, and the share that found a copy.
 * - **Compressed collections.** Events inserted into a collection past the compression threshold, marked
 *   published, then read with no decoded copy held, each document deflated or inflated through the
 *   collection's reused zlib streams and through a new stream per call (`storage/dictionary-codec.ts`),
 *   rounds alternating the two.
 *
 * Figures are for comparison within one run; nothing here asserts a time.
 */
import type { Document } from 'bson';
import { Collection, idKeyOf } from '../tools/embedded-mongo/storage/collection.js';
import { codecSettings } from '../tools/embedded-mongo/storage/dictionary-codec.js';
import { compression, decodedDocuments } from '../tools/embedded-mongo/storage/stored-document.js';
import { compileUpdate } from '../tools/embedded-mongo/update/update-document.js';
import { SeededRandom } from '../tools/seed/seeded-random.js';
import { readCountOptions } from './cli-options.js';

const { counts } = readCountOptions(
  { documents: 5_000, rounds: 6 },
  'npm run bench:store-writes -- [--documents 5000] [--rounds 6]',
);
const { documents: DOCUMENTS, rounds: ROUNDS } = counts;
const UPDATES_PER_DOCUMENT = 3;

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));

const eventDocument = (i: number): Document => ({
  _id: `event-${i}`,
  type: 'purchase',
  brandMemberId: `account-${i}`,
  state: 'applied',
  published: false,
  contentHash: 'abcdef0123456789'.repeat(4),
  receivedAt: day(1),
  appliedAt: day(1),
  occurredAt: day(0),
  payload: { orderId: `order-${i}`, amountMinor: 100 * i, currency: 'CNY', category: 'fitness' },
  message: {
    eventId: `event-${i}`,
    memberId: `member-${i}`,
    partner: 'pulsefit',
    type: 'purchase',
    amountMinor: 100 * i,
    category: 'fitness',
  },
});

function accountDocument(i: number): Document {
  const days: Document = {};
  for (let k = 0; k < 40; k += 1)
    days[
      day(k * 9)
        .toISOString()
        .slice(0, 10)
    ] = {
      purchases: k,
      spendMinor: k * 100 + i,
      interactions: { fitness: 2, like: 1 },
    };
  return {
    _id: `account-${i}`,
    memberId: `member-${i}`,
    displayName: 'A member',
    joinedAt: day(0),
    lifetimeSpendMinor: 1234,
    days,
    pendingEventIds: Array.from({ length: 20 }, (_, k) => `event-${i}-${k}`),
  };
}

const lot = (i: number, k: number): Document => ({
  id: `earn:pulsefit:event-${i}-${k}`,
  memberId: `member-${i}`,
  partner: 'pulsefit',
  origin: 'earn',
  orderRef: `order-${k}`,
  sourceEventId: `event-${i}-${k}`,
  points: 120,
  remaining: 120,
  earnedAt: day(k),
  availableAt: day(k),
  expiresAt: day(k + 365),
});

const walletDocument = (i: number): Document => ({
  _id: `member-${i}`,
  version: 30,
  lots: Array.from({ length: 30 }, (_, k) => lot(i, k)),
  lifetimeEarned: 3600,
  nextExpiryAt: day(365),
  unflushed: [],
  flushPending: false,
});

interface Shape {
  name: string;
  make: (i: number) => Document;
  update: (i: number, round: number) => Document;
}

const SHAPES: Shape[] = [
  {
    name: 'event marked published',
    make: eventDocument,
    update: () => ({ $set: { published: true, publishedAt: new Date() } }),
  },
  {
    name: "account's day bucket and guard",
    make: accountDocument,
    update: (_, round) => ({
      $inc: { [`days.${day(0).toISOString().slice(0, 10)}.purchases`]: 1 },
      $push: { pendingEventIds: `new-${round}` },
    }),
  },
  {
    name: 'wallet taking a new lot',
    make: walletDocument,
    update: (i, round) => ({
      $set: {
        version: 31 + round,
        [`lots.${30 + round}`]: lot(i, 100 + round),
        flushPending: true,
        unflushed: [{ id: `entry-${round}`, points: 120 }],
      },
    }),
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Microseconds an update: `DOCUMENTS` documents, each updated `UPDATES_PER_DOCUMENT` times. */
function timeUpdates(shape: Shape, derived: boolean, round: number): number {
  const collection = new Collection('bench', `${shape.name}-${round}-${derived}`);
  const ids = Array.from({ length: DOCUMENTS }, (_, i) => {
    const doc = shape.make(i);
    collection.insert(doc, { owned: true });
    return idKeyOf(doc._id);
  });
  const started = performance.now();
  for (let pass = 0; pass < UPDATES_PER_DOCUMENT; pass += 1) {
    for (let i = 0; i < DOCUMENTS; i += 1) {
      const base = collection.get(ids[i])!;
      const applied = compileUpdate(shape.update(i, pass))(base, { filter: {}, inserting: false });
      collection.replace(ids[i], applied.doc, { owned: true, ...(derived ? { base } : {}) });
    }
  }
  const micros = ((performance.now() - started) * 1000) / (DOCUMENTS * UPDATES_PER_DOCUMENT);
  collection.removeAll();
  return micros;
}

/** Random reads over `count` documents with room for half of them decoded. */
function timeReads(count: number): { micros: number; hitRate: number } {
  const collection = new Collection('bench', 'reads');
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const doc = { _id: `member-${i}`, tier: 'GOLD', points: i, name: 'A member', joinedAt: day(i % 365) };
    collection.insert(doc);
    ids.push(idKeyOf(doc._id));
  }
  const size = collection.dataSize / count;
  decodedDocuments.budgetBytes = Math.floor((size * count) / 2);
  const seeded = new SeededRandom(7);
  const random = () => seeded.next();
  const reads = count;
  for (let i = 0; i < reads; i += 1) collection.get(ids[Math.floor(random() * count)]); // fill the copies
  const before = decodedDocuments.stats();
  const started = performance.now();
  for (let i = 0; i < reads; i += 1) collection.get(ids[Math.floor(random() * count)]);
  const micros = ((performance.now() - started) * 1000) / reads;
  const after = decodedDocuments.stats();
  collection.removeAll();
  return { micros, hitRate: (after.hits - before.hits) / reads };
}

// Compression would add its own cost to both sides; the stores under `npm start` compress only collections
// past 100,000 documents.
compression.afterDocuments = 0;
const budget = decodedDocuments.budgetBytes;
console.log(
  `Updates through Collection.replace: ${DOCUMENTS} documents × ${UPDATES_PER_DOCUMENT} updates, ${ROUNDS} rounds alternating whole and derived encoding (median µs an update):`,
);
for (const shape of SHAPES) {
  const times = { whole: [] as number[], derived: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const derived of order)
      times[derived ? 'derived' : 'whole'].push(timeUpdates(shape, derived, round));
  }
  const whole = median(times.whole);
  const derived = median(times.derived);
  console.log(
    `  ${shape.name.padEnd(32)} whole ${whole.toFixed(1).padStart(6)} µs, derived ${derived.toFixed(1).padStart(6)} µs (${(whole / derived).toFixed(2)}×)`,
  );
}
console.log('Random reads over documents twice as many as the decoded copies held:');
for (const count of [20_000, 200_000]) {
  const { micros, hitRate } = timeReads(count);
  console.log(
    `  ${String(count).padStart(7)} documents: ${micros.toFixed(2)} µs a read, ${(hitRate * 100).toFixed(0)} % found a decoded copy`,
  );
}
decodedDocuments.budgetBytes = budget;

/** Microseconds an insert, an update and a read of a compressed event (no decoded copy held). */
function timeCompressed(round: number, reuse: boolean): { insert: number; update: number; read: number } {
  codecSettings.reuseStreams = reuse;
  // No decoded copy held: every read inflates and decodes, as past the budget of a large store.
  const held = decodedDocuments.budgetBytes;
  decodedDocuments.budgetBytes = 0;
  const collection = new Collection('bench', `compressed-${round}-${reuse}`);
  const micros = (started: number, count: number) => ((performance.now() - started) * 1000) / count;
  let started = performance.now();
  const ids = Array.from({ length: DOCUMENTS }, (_, i) => {
    const doc = eventDocument(i);
    collection.insert(doc, { owned: true });
    return idKeyOf(doc._id);
  });
  const insert = micros(started, DOCUMENTS);
  const published = compileUpdate(SHAPES[0].update(0, 0));
  started = performance.now();
  for (let i = 0; i < DOCUMENTS; i += 1) {
    const base = collection.get(ids[i])!;
    collection.replace(ids[i], published(base, { filter: {}, inserting: false }).doc, { owned: true, base });
  }
  const update = micros(started, DOCUMENTS);
  started = performance.now();
  for (let i = 0; i < DOCUMENTS; i += 1) collection.get(ids[(i * 7919) % DOCUMENTS]);
  const read = micros(started, DOCUMENTS);
  decodedDocuments.budgetBytes = held;
  collection.removeAll();
  return { insert, update, read };
}

compression.afterDocuments = Math.min(1_000, Math.floor(DOCUMENTS / 5));
console.log(
  `A compressed collection (past ${compression.afterDocuments} documents): ${DOCUMENTS} events inserted, marked published, read with no decoded copy, ${ROUNDS} rounds alternating reused zlib streams and a stream per call (median µs a document):`,
);
const compressed = {
  reused: [] as ReturnType<typeof timeCompressed>[],
  perCall: [] as ReturnType<typeof timeCompressed>[],
};
for (let round = 0; round < ROUNDS; round += 1) {
  for (const reuse of round % 2 === 0 ? [true, false] : [false, true])
    compressed[reuse ? 'reused' : 'perCall'].push(timeCompressed(round, reuse));
}
codecSettings.reuseStreams = true;
for (const step of ['insert', 'update', 'read'] as const) {
  const reused = median(compressed.reused.map((times) => times[step]));
  const perCall = median(compressed.perCall.map((times) => times[step]));
  console.log(
    `  ${step.padEnd(7)} reused ${reused.toFixed(1).padStart(6)} µs, per call ${perCall.toFixed(1).padStart(6)} µs (${(perCall / reused).toFixed(2)}×)`,
  );
}
