import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';
import type { LogLevel } from '../config/environment.js';
import { readEnvironment } from '../config/environment.js';

export type { Logger } from 'pino';

/**
 * Structured logs: one JSON object per line on stdout, for the platform's log collector. What goes in is
 * chosen by the callers (request id, service, role, route, status, duration): never names, tokens, member
 * ids or event bodies (docs/architecture.md §7).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? supervisedOutput(),
  );
}

/**
 * Under `npm start` (an IPC channel to the supervisor) lines go through Node's own stdout stream, which
 * never blocks: pino's default synchronous writer retries a full socket forever, so a service whose
 * supervisor died would hang at its next line instead of stopping. Otherwise, pino's default.
 */
const supervisedOutput = (): DestinationStream | undefined =>
  process.send ? (process.stdout as unknown as DestinationStream) : undefined;

let root: Logger | undefined;

/** Sets the process's logger; a service entry point calls it once with the validated `LOG_LEVEL`. */
export function configureLogging(level: LogLevel, destination?: DestinationStream): Logger {
  root = createLogger(level, destination);
  return root;
}

/**
 * The process's logger. Services embedded by a tool or a test (which do not call `configureLogging`) take
 * `LOG_LEVEL` from the environment, which is silent under tests.
 */
export function rootLogger(): Logger {
  return (root ??= createLogger(readEnvironment().logLevel));
}

/** The logger of one service of the process: every line carries `service`. */
export const serviceLogger = (service: string): Logger => rootLogger().child({ service });
