import type { PlanNode, QueryPlan, QueryPlanSelectionNode, SubscriptionNode } from '@apollo/query-planner';

/** One subgraph call: the fetch's operation and variables, answered with the subgraph's JSON. */
export type SubgraphCall = (
  service: string,
  body: { query: string; operationName?: string; variables: Record<string, unknown> },
) => Promise<{ data?: Record<string, unknown> | null; errors?: unknown[] }>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Makes the subgraph calls a query plan makes, in its order (sequences one after another, parallel nodes at
 * once), and merges their answers into one tree: the least any federation router must do for the plan, the
 * floor the benchmark compares gateways with. Entity fetches send the representations the plan requires, read
 * from the objects at the fetch's path. What it leaves out on purpose: shaping the answer to the client's
 * selection (the tree keeps the plan's extra keys), error paths, and the plan features the dashboard does not
 * use (defer, conditions, subscriptions, rewrites), which it refuses rather than answer wrongly.
 */
export async function replayQueryPlan(
  plan: QueryPlan,
  call: SubgraphCall,
  variables: Json = {},
): Promise<{ data: Json; errors: unknown[] }> {
  const data: Json = {};
  const errors: unknown[] = [];
  const run = async (node: PlanNode | SubscriptionNode, path: readonly string[]): Promise<void> => {
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await run(child, path);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => run(child, path)));
        return;
      case 'Flatten':
        return run(node.node, [...path, ...node.path.map(String)]);
      case 'Fetch': {
        if (node.inputRewrites?.length || node.outputRewrites?.length || node.contextRewrites?.length)
          throw new Error(`replayQueryPlan: rewrites in the fetch to ${node.serviceName} are not supported`);
        const own = Object.fromEntries(
          (node.variableUsages ?? [])
            .filter((name) => name in variables)
            .map((name) => [name, variables[name]]),
        );
        const body = { query: node.operation, operationName: node.operationName, variables: own };
        if (!node.requires) {
          const answer = await call(node.serviceName, body);
          errors.push(...(answer.errors ?? []));
          mergeInto(data, answer.data ?? {});
          return;
        }
        const entities = objectsAt(data, path);
        const representations = entities.map((entity) => selectFrom(entity, node.requires!));
        if (representations.length === 0) return;
        const answer = await call(node.serviceName, { ...body, variables: { ...own, representations } });
        errors.push(...(answer.errors ?? []));
        const found = (answer.data?._entities ?? []) as unknown[];
        entities.forEach((entity, i) => {
          if (isObject(found[i])) mergeInto(entity, found[i]);
        });
        return;
      }
      default:
        throw new Error(`replayQueryPlan: ${node.kind} nodes are not supported`);
    }
  };
  if (plan.node) await run(plan.node, []);
  return { data, errors };
}

/** The objects at a plan path (`@` steps into every element of a list), nulls left out. */
export function objectsAt(root: Json, path: readonly string[]): Json[] {
  let level: unknown[] = [root];
  for (const step of path) {
    const next: unknown[] = [];
    for (const value of level) {
      if (step === '@') {
        if (Array.isArray(value)) next.push(...value);
      } else if (isObject(value)) next.push(value[step]);
    }
    level = next;
  }
  return level.filter(isObject);
}

/** The part of `value` a `requires` selection asks for (an entity's representation). */
export function selectFrom(value: Json, selections: readonly QueryPlanSelectionNode[]): Json {
  const out: Json = {};
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (!selection.typeCondition || value.__typename === selection.typeCondition)
        Object.assign(out, selectFrom(value, selection.selections));
      continue;
    }
    const key = selection.alias ?? selection.name;
    if (!(key in value)) continue;
    const field = value[key];
    out[key] = selection.selections ? selectDeep(field, selection.selections) : field;
  }
  return out;
}

function selectDeep(value: unknown, selections: readonly QueryPlanSelectionNode[]): unknown {
  if (Array.isArray(value)) return value.map((item) => selectDeep(item, selections));
  return isObject(value) ? selectFrom(value, selections) : value;
}

/** Merges a subgraph's answer into the tree: objects key by key, lists element by element. */
export function mergeInto(target: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) mergeInto(existing, value);
    else if (Array.isArray(existing) && Array.isArray(value) && existing.length === value.length)
      existing.forEach((item, i) => {
        if (isObject(item) && isObject(value[i])) mergeInto(item, value[i] as Json);
        else existing[i] = value[i];
      });
    else target[key] = value;
  }
}

/**
 * `tree` cut down to the keys `shape` has, at every level: a replayed plan's tree compared with a gateway's
 * answer to the same query (the tree also holds the keys the plan needed: `__typename`, required fields).
 */
export function restrictTo(tree: unknown, shape: unknown): unknown {
  if (Array.isArray(shape) && Array.isArray(tree)) return tree.map((item, i) => restrictTo(item, shape[i]));
  if (!isObject(shape) || !isObject(tree)) return tree;
  return Object.fromEntries(Object.keys(shape).map((key) => [key, restrictTo(tree[key], shape[key])]));
}
