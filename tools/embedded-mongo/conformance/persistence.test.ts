import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { startEmbeddedMongo } from '../index.js';
import { compression } from '../storage/stored-document.js';
import { embeddedOnly, useTemporaryDirectory, withEmbeddedMongo } from './test-fixture.js';

// Snapshots are a feature of the embedded store itself; a real server persists on its own terms.
embeddedOnly('snapshots to dbPath (embedded store)', () => {
  const snapshots = useTemporaryDirectory('embedded-mongo-');

  const withServer = <T>(run: (client: MongoClient) => Promise<T>): Promise<T> =>
    withEmbeddedMongo({ dbPath: snapshots.path }, run);

  it('keeps documents, types and indexes across a restart', async () => {
    const id = new ObjectId();
    const at = new Date('2024-05-01T12:00:00Z');
    await withServer(async (client) => {
      const members = client.db('persisted').collection('members');
      await members.insertOne({ _id: id, email: 'a@x', joined: at, points: 12.5, tags: ['x'] });
      await members.createIndex({ email: 1 }, { unique: true });
      await client.db('scratch').collection('temp').insertOne({ a: 1 });
    });
    const files = await readdir(snapshots.path);
    expect(files.sort()).toEqual(['persisted.bson', 'scratch.bson']);

    await withServer(async (client) => {
      const members = client.db('persisted').collection('members');
      expect(await members.findOne({ _id: id })).toEqual({
        _id: id,
        email: 'a@x',
        joined: at,
        points: 12.5,
        tags: ['x'],
      });
      expect((await members.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'email_1']);
      await expect(members.insertOne({ email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
      await client.db('scratch').dropDatabase();
    });
    expect(await readdir(snapshots.path)).toEqual(['persisted.bson']);
  });

  it('writes a database larger than one write chunk, compressed documents among it, and reads it back whole', async () => {
    // 3,000 documents of about 4 KB: 12 MB, more than the 8 MiB the writer gathers before writing; past the
    // 100th document the collection stores new versions compressed, which the writer inflates one by one.
    const saved = compression.afterDocuments;
    compression.afterDocuments = 100;
    const text = (n: number) => `${n}:`.padEnd(4000, String.fromCharCode(97 + (n % 26)));
    try {
      await withServer(async (client) => {
        const big = client.db('large').collection<{ _id: number; n: number; text: string }>('documents');
        for (let from = 0; from < 3000; from += 500) {
          await big.insertMany(
            Array.from({ length: 500 }, (_, i) => ({ _id: from + i, n: from + i, text: text(from + i) })),
          );
        }
        const stats = await client.db('large').command({ collStats: 'documents' });
        expect(stats.storageSize).toBeLessThan(stats.size / 2); // most of them are held compressed
      });
      await withServer(async (client) => {
        const big = client.db('large').collection<{ _id: number; n: number; text: string }>('documents');
        expect(await big.countDocuments()).toBe(3000);
        let checked = 0;
        for await (const doc of big.find().sort({ _id: 1 })) {
          expect(doc).toEqual({ _id: checked, n: checked, text: text(checked) });
          checked += 1;
        }
        expect(checked).toBe(3000);
      });
    } finally {
      compression.afterDocuments = saved;
    }
  });

  it('starts empty from an empty directory and leaves no temporary files', async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), 'embedded-mongo-empty-'));
    try {
      const server = await startEmbeddedMongo({ dbPath: emptyPath });
      const client = await MongoClient.connect(server.uri);
      const { databases } = await client.db('admin').admin().listDatabases();
      expect(databases).toEqual([]);
      await client.db('d').collection('c').insertOne({ a: 1 });
      await client.close();
      await server.stop();
      expect(await readdir(emptyPath)).toEqual(['d.bson']);
    } finally {
      await rm(emptyPath, { recursive: true, force: true });
    }
  });
});
