import { writeMerge, writeOut } from '../aggregation/aggregation-output.js';
import { parsePipeline, runPipeline } from '../aggregation/aggregation-pipeline.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { assertSimpleCollation, booleanArg, documentArg, nonNegativeArg } from './command-arguments.js';
import type { CommandHandler } from './command-context.js';
import { explainPlan } from './explain-command.js';

const aggregate: CommandHandler = (body, context) => {
  const target = body.aggregate;
  const dbLevel = target === 1;
  if (!dbLevel && typeof target !== 'string') {
    throw new CommandError(
      ErrorCode.FailedToParse,
      "Invalid aggregate namespace: 'aggregate' must be a collection name or 1",
    );
  }
  assertSimpleCollation(body);
  const parsed = parsePipeline(body.pipeline);
  const explain = booleanArg(body, 'explain');
  const cursorOptions = documentArg(body, 'aggregate', 'cursor');
  if (!cursorOptions && !explain) {
    throw new CommandError(
      ErrorCode.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  if (dbLevel && parsed.stages[0]?.$documents === undefined) {
    throw new CommandError(
      ErrorCode.InvalidNamespace,
      `{aggregate: 1} is not valid for '${parsed.stages[0] ? Object.keys(parsed.stages[0])[0] : '$match'}'; a collection is required.`,
    );
  }
  const collection = dbLevel ? undefined : context.catalog.collection(context.dbName, target as string);
  const variables = documentArg(body, 'aggregate', 'let');
  const { results, plan } = runPipeline(context.catalog, context.dbName, collection, parsed, variables);
  const namespace = dbLevel ? `${context.dbName}.$cmd.aggregate` : `${context.dbName}.${target as string}`;
  if (explain) {
    return {
      explainVersion: '1',
      stages: [{ $cursor: { queryPlanner: explainPlan(namespace, parsed.stages[0]?.$match ?? {}, plan) } }],
      ok: 1,
    };
  }
  if (parsed.output?.stage === '$out') writeOut(context.catalog, context.dbName, parsed.output.spec, results);
  if (parsed.output?.stage === '$merge')
    writeMerge(context.catalog, context.dbName, parsed.output.spec, results);
  context.stats.opcounters.command += 1;
  return context.cursors.open(namespace, parsed.output ? [] : results, {
    batchSize: nonNegativeArg(cursorOptions ?? {}, 'aggregate', 'batchSize'),
  });
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
