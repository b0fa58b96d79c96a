import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { Catalog } from './storage/catalog.js';
import { ClientConnection } from './wire/client-connection.js';
import { dispatchCommand } from './commands/dispatch-command.js';
import type { CommandContext } from './commands/command-context.js';
import { Profiler } from './commands/profiler.js';
import { CursorRegistry } from './query/cursor-registry.js';
import { ServerStats } from './server-stats.js';
import { loadSnapshot, writeSnapshot } from './storage/snapshot-files.js';
import { startTtlMonitor } from './storage/ttl-monitor.js';

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** Directory for snapshots: loaded on start, written on stop. Unset: memory only. */
  dbPath?: string;
  /** Idle cursors are discarded after this long (default 10 minutes, the server's default). */
  cursorTimeoutMs?: number;
  /** How often expired documents of TTL indexes are removed (default 60 s, like the server). */
  ttlIntervalMs?: number;
  /** Record per-command server-side time, reported by `serverStatus` under `embeddedStore`. */
  recordCommandTimings?: boolean;
  /** Receives one line per command the store does not implement, and progress while a large snapshot loads. */
  log?: (line: string) => void;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  /** Closes every client socket and the listener, then writes the snapshot when `dbPath` is set. */
  stop(): Promise<void>;
}

const DEFAULT_CURSOR_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_TTL_INTERVAL_MS = 60 * 1000;

/** Starts a MongoDB-wire-compatible server on loopback backed by the in-memory store. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const catalog = new Catalog();
  if (options.dbPath) await loadSnapshot(options.dbPath, catalog, options.log);
  const cursors = new CursorRegistry(options.cursorTimeoutMs ?? DEFAULT_CURSOR_TIMEOUT_MS);
  const stats = new ServerStats(options.recordCommandTimings === true);
  const profiler = new Profiler(catalog);
  const sockets = new Set<Socket>();
  let nextConnectionId = 1;
  let port = 0;
  const log = options.log;

  const runCommand = (
    command: Parameters<typeof dispatchCommand>[0],
    dbName: string,
    connectionId: number,
  ) => {
    const context: CommandContext = { catalog, cursors, stats, profiler, dbName, connectionId, port };
    return dispatchCommand(command, context, {
      onUnknownCommand: log
        ? (name) => log(`embedded-mongo: unsupported command '${name}' on ${dbName}`)
        : undefined,
    });
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    stats.connectionsCurrent += 1;
    stats.connectionsTotal += 1;
    socket.on('close', () => {
      sockets.delete(socket);
      stats.connectionsCurrent -= 1;
    });
    new ClientConnection(socket, nextConnectionId++, runCommand, stats);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    cursors.close();
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  // Accept failures (e.g. out of file descriptors) must not crash the process hosting the store.
  server.on('error', (err) => log?.(`embedded-mongo: listener error: ${String(err)}`));
  const ttl = startTtlMonitor(catalog, options.ttlIntervalMs ?? DEFAULT_TTL_INTERVAL_MS);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ttl.stop();
      cursors.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      if (options.dbPath) await writeSnapshot(options.dbPath, catalog);
    })();
    return stopping;
  };

  return { uri: `mongodb://127.0.0.1:${port}`, port, stop };
}
