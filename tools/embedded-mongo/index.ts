/**
 * The embedded MongoDB-compatible store. This file is its whole public surface: start a server, get
 * its URI, stop it. Inside, each folder is one layer and imports only the layers below it:
 *
 * - `commands/`: one handler per database command, dispatched by name (the server's command table);
 * - `aggregation/`: pipelines, with `$lookup`/`$unionWith` across collections and `$out`/`$merge`;
 * - `update/`: update operators, upserts and the insert/update/delete write path;
 * - `query/`: filters, the index-choosing planner and open cursors;
 * - `storage/`: databases, collections, indexes, validation, snapshots and TTL;
 * - `wire/`: the wire protocol (OP_MSG, legacy OP_QUERY) and one client connection.
 *
 * `conformance/` holds the suite that drives the store through mongoose and the driver; the command-line
 * server and the benchmark are `scripts/mongo-embedded.ts` and `scripts/bench-mongo.ts`.
 */
export { startEmbeddedMongo } from './server.js';
export type { EmbeddedMongo, EmbeddedMongoOptions } from './server.js';
export { storageFootprint } from './storage/stored-document.js';
