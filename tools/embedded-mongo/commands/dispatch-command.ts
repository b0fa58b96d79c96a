import type { Document } from 'bson';
import type { CursorBatchReply } from '../wire/reply-encoding.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { aggregateCommands } from './aggregate-command.js';
import { collectionCommands } from './collection-commands.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { explainCommands } from './explain-command.js';
import { findAndModifyCommands } from './find-and-modify-command.js';
import { indexCommands } from './index-commands.js';
import { profileCommands } from './profile-command.js';
import { readCommands } from './read-commands.js';
import { serverCommands } from './server-commands.js';
import { writeCommands } from './write-commands.js';

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...serverCommands,
    ...readCommands,
    ...writeCommands,
    ...findAndModifyCommands,
    ...aggregateCommands,
    ...indexCommands,
    ...collectionCommands,
    ...explainCommands,
    ...profileCommands,
  }),
);

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

/**
 * A standalone server refuses anything transactional with exactly this error; drivers and mongoose
 * surface it unchanged, so code written for transactions fails here the way it would in production.
 */
function assertNoTransaction(name: string, body: Document): void {
  if (
    TRANSACTION_COMMANDS.has(name) ||
    body.txnNumber !== undefined ||
    body.startTransaction !== undefined ||
    body.autocommit !== undefined
  ) {
    throw new CommandError(
      ErrorCode.IllegalOperation,
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
}

export interface DispatchOptions {
  /** Told about commands the store does not know (to find out what a client needs). */
  onUnknownCommand?: (name: string, body: Document) => void;
}

/** Runs one command and always returns a reply document: failures become `ok: 0` replies. */
export function dispatchCommand(
  body: Document,
  context: CommandContext,
  options: DispatchOptions = {},
): Document | CursorBatchReply {
  const name = Object.keys(body)[0];
  try {
    if (name === undefined) throw new CommandError(ErrorCode.FailedToParse, 'Empty command object');
    assertNoTransaction(name, body);
    const handler = handlers.get(name);
    if (!handler) {
      options.onUnknownCommand?.(name, body);
      throw new CommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
    }
    return context.profiler.run(name, body, context.dbName, () => handler(body, context));
  } catch (err) {
    const error = asCommandError(err, ErrorCode.InternalError);
    return error.toReply();
  }
}
