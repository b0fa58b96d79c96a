import { Aggregator } from 'mingo';
import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import { CommandError, ErrorCode, asCommandError } from '../command-error.js';
import { copyDocument } from '../storage/document-copy.js';
import { residualQuery } from '../query/find-documents.js';
import { notePlan, planCandidates } from '../query/query-planner.js';
import type { QueryPlan } from '../query/query-planner.js';
import { isPlainDocument } from '../storage/value-keys.js';
import { NotCompiled } from './compiled-expression.js';
import { compileStage } from './compiled-stages.js';

/** Stages the query engine implements, plus the two writing stages handled here. */
const SUPPORTED_STAGES = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$graphLookup',
  '$group',
  '$limit',
  '$lookup',
  '$match',
  '$merge',
  '$out',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);

/** Server stages that exist on a real deployment but need machinery this store does not have. */
const SERVER_ONLY_STAGES = new Set([
  '$changeStream',
  '$collStats',
  '$currentOp',
  '$geoNear',
  '$indexStats',
  '$listLocalSessions',
  '$listSessions',
  '$planCacheStats',
  '$search',
  '$searchMeta',
  '$vectorSearch',
]);

/** Stages that never modify their input documents, so stored objects can be fed in without copies. */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$sortByCount']);

export interface ParsedPipeline {
  stages: Document[];
  /** A final `$out` or `$merge`, run by the store after the engine produced the results. */
  output?: { stage: '$out' | '$merge'; spec: unknown };
}

export function parsePipeline(pipeline: unknown): ParsedPipeline {
  if (!Array.isArray(pipeline)) {
    throw new CommandError(ErrorCode.TypeMismatch, "'pipeline' option must be specified as an array");
  }
  const stages: Document[] = [];
  let output: ParsedPipeline['output'];
  pipeline.forEach((stage: unknown, i) => {
    if (!isPlainDocument(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(
        ErrorCode.Location40323,
        'A pipeline stage specification object must contain exactly one field.',
      );
    }
    const name = Object.keys(stage)[0];
    if (SERVER_ONLY_STAGES.has(name)) {
      throw new CommandError(ErrorCode.NotImplemented, `${name} is not supported by the embedded store`);
    }
    if (!SUPPORTED_STAGES.has(name)) {
      throw new CommandError(ErrorCode.Location40324, `Unrecognized pipeline stage name: '${name}'`);
    }
    if (name === '$out' || name === '$merge') {
      if (i !== pipeline.length - 1) {
        throw new CommandError(
          ErrorCode.Location40601,
          `${name} can only be the final stage in the pipeline`,
        );
      }
      output = { stage: name, spec: stage[name] };
      return;
    }
    stages.push(stage);
  });
  return { stages, output };
}

export interface PipelineRun {
  results: Document[];
  plan: QueryPlan;
}

/**
 * Runs a pipeline over a collection. A leading `$match` goes through the index planner; the rest
 * runs in the query engine. Inputs are copied unless every stage is read-only, because some engine
 * stages (e.g. `$unwind`, nested `$addFields`) write into the objects they are given.
 */
export function runPipeline(
  catalog: Catalog,
  dbName: string,
  collection: Collection | undefined,
  parsed: ParsedPipeline,
  variables?: Document,
): PipelineRun {
  let stages = parsed.stages;
  let source: Document[] = [];
  let plan: QueryPlan = { stage: 'EOF' };
  if (collection) {
    const first = stages[0];
    if (first && isPlainDocument(first.$match)) {
      const planned = planCandidates(collection, first.$match);
      // A count of what the index lookup decided on its own: the number of its records, no document read.
      const count = planned.residualFilter === undefined ? planned.candidateCount : undefined;
      const counting = count === undefined ? undefined : countShape(stages.slice(1));
      if (count !== undefined && counting)
        return { results: count > 0 ? [counting(count)] : [], plan: planned.plan };
      const query = residualQuery(planned.residualFilter, variables);
      plan = planned.plan;
      for (const doc of planned.candidates) if (query.test(doc)) source.push(doc);
      stages = stages.slice(1);
    } else {
      plan = { stage: 'COLLSCAN' };
      notePlan(collection.namespace, {}, plan, collection.size);
      source = [...collection.documents()];
    }
  }
  const readOnly = stages.every((stage) => READ_ONLY_STAGES.has(Object.keys(stage)[0]));
  if (!readOnly) source = source.map(copyDocument);
  if (stages.length === 0) return { results: source, plan };
  const resolved = new Map<string, Document[]>();
  const collectionResolver = (name: string): Document[] => {
    let docs = resolved.get(name);
    if (!docs) {
      docs = [...(catalog.collection(dbName, name)?.documents() ?? [])].map(copyDocument);
      resolved.set(name, docs);
    }
    return docs;
  };
  try {
    return { results: runStages(stages, source, { collectionResolver, variables }), plan };
  } catch (err) {
    throw asCommandError(err);
  }
}

/** A `$group` key that is a constant: every input document falls in the one group. */
function isConstantKey(key: unknown): boolean {
  if (typeof key === 'string') return !key.startsWith('$');
  return key === null || typeof key === 'number' || typeof key === 'boolean';
}

/**
 * When `stages` only count their input (`{ $count: name }`, or `{ $group: { _id: <constant>, name: { $sum:
 * 1 } } }` as the driver's `countDocuments` sends it), the one document they make of `n` inputs (none for no
 * input, as the engine gives); otherwise undefined.
 */
function countShape(stages: readonly Document[]): ((n: number) => Document) | undefined {
  if (stages.length !== 1) return undefined;
  const [stage] = stages;
  const keys = Object.keys(stage);
  if (keys.length !== 1) return undefined;
  if (keys[0] === '$count') {
    const name: unknown = stage.$count;
    if (typeof name !== 'string' || name === '' || name.startsWith('$') || name.includes('.'))
      return undefined;
    return (n) => ({ [name]: n });
  }
  if (keys[0] !== '$group' || !isPlainDocument(stage.$group)) return undefined;
  const { _id: key, ...accumulators } = stage.$group as Document;
  const names = Object.keys(accumulators);
  if (!('_id' in stage.$group) || !isConstantKey(key) || names.length !== 1) return undefined;
  const [name] = names;
  const sum: unknown = accumulators[name];
  if (!isPlainDocument(sum) || Object.keys(sum).length !== 1 || sum.$sum !== 1) return undefined;
  return (n) => ({ _id: key, [name]: n });
}

type EngineOptions = ConstructorParameters<typeof Aggregator>[1];

/**
 * Compiled stages (`compiled-stages.ts`) where they apply, the general engine for runs of the others. A
 * compiled stage that meets what it cannot do exactly gives way to the engine on the same input.
 */
function runStages(stages: readonly Document[], source: Document[], options: EngineOptions): Document[] {
  let docs = source;
  let pending: Document[] = [];
  const runPending = () => {
    if (pending.length === 0) return;
    docs = new Aggregator(pending, options).run(docs) as Document[];
    pending = [];
  };
  for (const stage of stages) {
    const compiled = compileStage(stage);
    if (!compiled) {
      pending.push(stage);
      continue;
    }
    runPending();
    try {
      docs = compiled(docs);
    } catch (err) {
      if (!(err instanceof NotCompiled)) throw err;
      docs = new Aggregator([stage], options).run(docs) as Document[];
    }
  }
  runPending();
  return docs;
}
