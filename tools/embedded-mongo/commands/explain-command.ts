import type { Document } from 'bson';
import { parsePipeline, runPipeline } from '../aggregation/aggregation-pipeline.js';
import { CommandError, ErrorCode } from '../command-error.js';
import { findDocuments } from '../query/find-documents.js';
import type { QueryPlan } from '../query/query-planner.js';
import { isPlainDocument } from '../storage/value-keys.js';
import type { CommandHandler } from './command-context.js';
import { SERVER_VERSION } from './server-commands.js';
import { readFindArguments } from './read-commands.js';

/** The server's plan shapes: FETCH over IXSCAN for secondary indexes, IDHACK, COLLSCAN, EOF. */
function winningPlan(filter: Document, plan: QueryPlan): Document {
  if (plan.stage === 'COLLSCAN') return { stage: 'COLLSCAN', filter, direction: 'forward' };
  if (plan.stage === 'EOF') return { stage: 'EOF' };
  if (plan.stage === 'IDHACK') return { stage: 'IDHACK' };
  if (plan.stage !== 'IXSCAN') return { stage: plan.stage };
  return {
    stage: 'FETCH',
    filter,
    inputStage: {
      stage: 'IXSCAN',
      keyPattern: plan.keyPattern,
      indexName: plan.indexName,
      isMultiKey: false,
      direction: 'forward',
    },
  };
}

export function explainPlan(namespace: string, filter: Document, plan: QueryPlan): Document {
  return {
    namespace,
    indexFilterSet: false,
    parsedQuery: filter,
    winningPlan: winningPlan(filter, plan),
    rejectedPlans: [],
  };
}

interface Explained {
  filter: Document;
  plan: QueryPlan;
  returned: number;
  docsExamined: number;
}

/** Re-runs the read part of the explained command to report its plan and (for executionStats) counts. */
function explainInner(
  inner: Document,
  collectionName: string,
  run: (options: Document) => Explained,
): Explained {
  const name = Object.keys(inner)[0];
  switch (name) {
    case 'find':
      return run(readFindArguments(inner));
    case 'count':
      return run({ filter: inner.query });
    case 'distinct':
      return run({ filter: inner.query });
    case 'delete':
      return run({ filter: (inner.deletes as Document[] | undefined)?.[0]?.q });
    case 'update':
      return run({ filter: (inner.updates as Document[] | undefined)?.[0]?.q });
    case 'findAndModify':
    case 'findandmodify':
      return run({ filter: inner.query, sort: inner.sort, limit: 1 });
    default:
      throw new CommandError(
        ErrorCode.CommandNotFound,
        `Explain failed due to unknown command: ${name} (${collectionName})`,
      );
  }
}

const explain: CommandHandler = (body, context) => {
  const inner = body.explain;
  if (!isPlainDocument(inner))
    throw new CommandError(ErrorCode.TypeMismatch, 'explain command requires a nested object');
  const name = Object.keys(inner)[0];
  const collectionName = String(inner[name]);
  const namespace = `${context.dbName}.${collectionName}`;
  const collection = context.catalog.collection(context.dbName, collectionName);
  let explained: Explained;
  if (name === 'aggregate') {
    const parsed = parsePipeline(inner.pipeline);
    const filter = (parsed.stages[0]?.$match as Document | undefined) ?? {};
    const { results, plan } = runPipeline(context.catalog, context.dbName, collection, {
      stages: parsed.stages,
    });
    explained = { filter, plan, returned: results.length, docsExamined: 0 };
  } else {
    explained = explainInner(inner, collectionName, (options) => {
      const result = findDocuments(collection, options);
      return {
        filter: options.filter ?? {},
        plan: result.plan,
        returned: result.docs.length,
        docsExamined: result.docsExamined,
      };
    });
  }
  const reply: Document = {
    explainVersion: '1',
    queryPlanner: explainPlan(namespace, explained.filter, explained.plan),
    command: inner,
    serverInfo: { host: '127.0.0.1', port: context.port, version: SERVER_VERSION },
    ok: 1,
  };
  if (body.verbosity !== 'queryPlanner') {
    const plan = explained.plan;
    reply.executionStats = {
      executionSuccess: true,
      nReturned: explained.returned,
      executionTimeMillis: 0,
      totalKeysExamined: plan.stage === 'IXSCAN' || plan.stage === 'IDHACK' ? plan.keysExamined : 0,
      totalDocsExamined: explained.docsExamined,
    };
  }
  return reply;
};

export const explainCommands: Record<string, CommandHandler> = { explain };
