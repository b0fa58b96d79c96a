import { CliArgumentError, USAGE, parseCliArguments } from './mongo-embedded-arguments.js';
import type { CliOptions } from './mongo-embedded-arguments.js';
import { announceReady, stopWhenSupervisorGone } from '../subgraphs/shared/supervised-process.js';
import { startEmbeddedMongo, storageFootprint } from '../tools/embedded-mongo/index.js';

/**
 * `npm run mongo:embedded -- --port 27018 [--dbpath DIR] [--timings]`: prints the connection URI as the first
 * line of stdout (scripts read it), serves until SIGINT/SIGTERM, then snapshots to --dbpath if given.
 */
function readOptions(): CliOptions {
  try {
    const parsed = parseCliArguments(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    if (!(err instanceof CliArgumentError)) throw err;
    process.stderr.write(`embedded-mongo: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const server = await startEmbeddedMongo({
    port: options.port,
    dbPath: options.dbPath,
    recordCommandTimings: options.timings === true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${server.uri}\n`);
  process.stdout.write(
    options.dbPath
      ? `snapshots: ${options.dbPath} (written on shutdown)\n`
      : 'memory only: data is lost on shutdown\n',
  );
  if (options.dbPath) {
    const footprint = storageFootprint();
    const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
    const memory = process.memoryUsage();
    process.stdout.write(
      `documents: ${mb(footprint.bsonBytes)} as BSON, stored in ${mb(footprint.documentBytes)} ` +
        `(${mb(footprint.slabBytes)} of slabs); ` +
        `resident ${mb(memory.rss)}, of which JavaScript heap ${mb(memory.heapUsed)}\n`,
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`embedded-mongo: snapshot failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  stopWhenSupervisorGone(() => shutdown('SIGTERM'));
  announceReady({ mongodb: server.uri });
}

main().catch((err: unknown) => {
  const message = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'port already in use' : String(err);
  process.stderr.write(`embedded-mongo: could not start: ${message}\n`);
  process.exit(1);
});
