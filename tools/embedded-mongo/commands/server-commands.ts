import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { CommandError, ErrorCode } from '../command-error.js';
import { decodedDocuments, storageFootprint } from '../storage/stored-document.js';
import { MAX_MESSAGE_SIZE } from '../wire/wire-messages.js';
import type { CommandContext, CommandHandler } from './command-context.js';

export const SERVER_VERSION = '7.0.0';
/** Wire version 21 is MongoDB 7.0: new enough for every driver feature mongoose 9 relies on. */
const MAX_WIRE_VERSION = 21;
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

/**
 * hello / isMaster: a standalone server (no setName, no hosts), no compression and no
 * topologyVersion, so drivers monitor it by polling instead of streaming awaitable hellos.
 */
function hello(legacyName: boolean): CommandHandler {
  return (_body: Document, context: CommandContext) => ({
    helloOk: true,
    [legacyName ? 'ismaster' : 'isWritablePrimary']: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });
}

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['memory'],
  modules: [],
  ok: 1,
});

const PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  cursorTimeoutMillis: 600_000,
};

const getParameter: CommandHandler = (body) => {
  const reply: Document = {};
  const all =
    body.getParameter === '*' || (typeof body.getParameter === 'object' && body.getParameter?.allParameters);
  for (const [name, value] of Object.entries(PARAMETERS)) {
    if (all || body[name] !== undefined) reply[name] = value;
  }
  if (!all && Object.keys(reply).length === 0) {
    throw new CommandError(ErrorCode.InvalidOptions, 'no option found to get');
  }
  return { ...reply, ok: 1 };
};

const mebibytes = (bytes: number) => Math.round(bytes / 2 ** 20);

const serverStatus: CommandHandler = (_body, context) => {
  const { stats } = context;
  const memory = process.memoryUsage();
  const reply: Document = {
    host: `127.0.0.1:${context.port}`,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor((Date.now() - stats.startedAt) / 1000),
    uptimeMillis: Date.now() - stats.startedAt,
    localTime: new Date(),
    connections: {
      current: stats.connectionsCurrent,
      available: 1_000_000,
      totalCreated: stats.connectionsTotal,
    },
    opcounters: { ...stats.opcounters },
    // As a server reports it, in MiB (virtual size left out: node does not tell it).
    mem: { bits: 64, resident: mebibytes(memory.rss), supported: true },
    metrics: { cursor: { open: { total: context.cursors.openCount } } },
    ok: 1,
  };
  // The store's own section: what its documents take (their BSON, and stored: compressed where a collection
  // is), its JavaScript heap (the documents' index entries and records, the decoded copies), how many decoded
  // documents it holds beside their bytes (and how often a read found one), and per-command server-side time
  // when the server was started with timing on.
  const footprint = storageFootprint();
  reply.embeddedStore = {
    memoryMiB: {
      documentsBson: mebibytes(footprint.bsonBytes),
      documentsStored: mebibytes(footprint.documentBytes),
      heapUsed: mebibytes(memory.heapUsed),
    },
    decodedDocuments: decodedDocuments.stats(),
  };
  if (stats.timingEnabled) reply.embeddedStore.commandTimings = stats.timingReport();
  return reply;
};

const ok: CommandHandler = () => ({ ok: 1 });

/** Sessions live in the driver; the server only acknowledges their lifecycle commands. */
const sessionCommands: Record<string, CommandHandler> = {
  endSessions: ok,
  refreshSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  startSession: (_body, context) => ({
    id: { id: new ObjectId().id },
    timeoutMinutes: 30,
    connectionId: context.connectionId,
    ok: 1,
  }),
};

export const serverCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  hostInfo: () => ({
    system: { hostname: '127.0.0.1', cpuArch: process.arch },
    os: { type: process.platform },
    ok: 1,
  }),
  whatsmyuri: (_body, context) => ({ you: `127.0.0.1:${context.connectionId}`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['mongod'], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  getDefaultRWConcern: () => ({
    defaultReadConcern: { level: 'local' },
    defaultWriteConcern: { w: 1, wtimeout: 0 },
    ok: 1,
  }),
  logout: ok,
  ...sessionCommands,
};
