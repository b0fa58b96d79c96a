import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { Kind } from 'graphql';
import type { FieldOwnership, SubgraphOwnership } from './subgraph-ownership.js';

/** What the limits are checked against, counted over the operation with every fragment spread expanded. */
export interface OperationMetrics {
  /** Nesting of fields (`{ me { id } }` is 2); introspection fields count as one level. */
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  /** Estimated work: see `CostModel`. */
  cost: number;
}

/**
 * The cost estimate: every selected field counts 1 for each object it is selected on; a list multiplies
 * what is selected under it by its page size (`first`, at most `maxPageSize`) or, without one, by
 * `assumedListSize`; every fetch from another subgraph (an entity fetch, including those a `@requires`
 * field needs for its inputs, and the field's own fetch after them) counts `fetchWeight` for each object it
 * is made for. Only the shape of the schema is used, never the scalar types of leaves.
 */
export interface CostModel {
  fetchWeight: number;
  assumedListSize: number;
  maxPageSize: number;
}

export const DEFAULT_COST_MODEL: CostModel = { fetchWeight: 5, assumedListSize: 10, maxPageSize: 100 };

const ROOT_TYPES = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The measure of one selection set, per object it is selected on. */
interface Measure {
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  fields: number;
  /** Subgraphs this selection set needs a fetch from (a `#then` suffix marks a field's own fetch after its inputs). */
  fetches: Set<string>;
}

interface Position {
  type: string | null;
  /** The subgraph that resolved the object the selection set is on (null at the root). */
  graph: string | null;
  /** A page size set by a paging field (a connection) for the first list below it. */
  pendingPage: number | null;
  introspection: boolean;
}

const empty = (): Measure => ({
  cost: 0,
  depth: 0,
  aliases: 0,
  directives: 0,
  fields: 0,
  fetches: new Set(),
});

function merge(into: Measure, from: Measure): void {
  into.cost += from.cost;
  into.depth = Math.max(into.depth, from.depth);
  into.aliases += from.aliases;
  into.directives += from.directives;
  into.fields += from.fields;
  for (const f of from.fetches) into.fetches.add(f);
}

class OperationMeasurer {
  private readonly fragmentMeasures = new Map<string, Measure>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly ownership: SubgraphOwnership,
    private readonly model: CostModel,
  ) {}

  /** Measures a selection set; fetch costs are left in `fetches` for the caller, who knows how often they run. */
  selectionSet(set: SelectionSetNode, at: Position): Measure {
    const measure = empty();
    for (const selection of set.selections) {
      measure.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) merge(measure, this.field(selection, at));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition?.name.value ?? at.type;
        merge(measure, this.selectionSet(selection.selectionSet, { ...at, type }));
      } else merge(measure, this.fragment(selection.name.value, at));
    }
    return measure;
  }

  private fragment(name: string, at: Position): Measure {
    const definition = this.fragments.get(name);
    const key = `${name}|${at.graph}|${at.pendingPage}|${at.introspection}`;
    const known = this.fragmentMeasures.get(key);
    if (known) return known;
    // Validation rejects fragment cycles before this runs; counting one as empty keeps this total anyway.
    if (!definition || this.inProgress.has(key)) return empty();
    this.inProgress.add(key);
    const measure = this.selectionSet(definition.selectionSet, {
      ...at,
      type: definition.typeCondition.name.value,
    });
    measure.directives += definition.directives?.length ?? 0;
    this.inProgress.delete(key);
    this.fragmentMeasures.set(key, measure);
    return measure;
  }

  private field(node: FieldNode, at: Position): Measure {
    const measure = empty();
    measure.fields = 1;
    measure.aliases = node.alias ? 1 : 0;
    const name = node.name.value;
    if (name === '__typename') {
      measure.depth = 1;
      return measure;
    }
    const introspection = at.introspection || INTROSPECTION_FIELDS.has(name);
    const owned = introspection || !at.type ? undefined : this.ownership.get(at.type)?.get(name);
    const graph = this.graphFor(owned, at.graph);
    if (owned) this.addFetches(owned, at.graph, graph, measure.fetches);
    const { factor, pendingPage } = this.listFactor(node, owned, at.pendingPage);
    const children = node.selectionSet
      ? this.selectionSet(node.selectionSet, {
          type: owned?.returnType ?? null,
          graph,
          pendingPage,
          introspection,
        })
      : empty();
    measure.aliases += children.aliases;
    measure.directives += children.directives;
    // Introspection is answered by the gateway itself from its schema: bounded by the token limit, free here.
    if (introspection) {
      measure.depth = 1;
      measure.cost = 1;
      return measure;
    }
    measure.depth = 1 + children.depth;
    const childCost = children.cost + children.fetches.size * this.model.fetchWeight;
    measure.cost = 1 + factor * childCost;
    return measure;
  }

  /** The subgraph that resolves a field: the parent's own when it can, else the first owner. */
  private graphFor(owned: FieldOwnership | undefined, parentGraph: string | null): string | null {
    if (!owned || owned.owners.length === 0) return parentGraph;
    return parentGraph && owned.owners.includes(parentGraph) ? parentGraph : owned.owners[0];
  }

  private addFetches(
    owned: FieldOwnership,
    parentGraph: string | null,
    graph: string | null,
    fetches: Set<string>,
  ): void {
    if (graph && graph !== parentGraph) fetches.add(graph);
    if (owned.requiresFrom.length === 0) return;
    for (const source of owned.requiresFrom) fetches.add(source);
    // The field itself is fetched again from its own subgraph once its inputs are in.
    fetches.add(`${graph}#then`);
  }

  private listFactor(
    node: FieldNode,
    owned: FieldOwnership | undefined,
    pendingPage: number | null,
  ): { factor: number; pendingPage: number | null } {
    if (owned?.paging) {
      const size = this.pageSize(node, owned.paging.defaultSize);
      return owned.returnsList ? { factor: size, pendingPage: null } : { factor: 1, pendingPage: size };
    }
    if (owned?.returnsList) return { factor: pendingPage ?? this.model.assumedListSize, pendingPage: null };
    return { factor: 1, pendingPage: owned ? pendingPage : null };
  }

  /** `first` as asked (a literal or a variable), else the SDL default, kept within 1..maxPageSize. */
  private pageSize(node: FieldNode, defaultSize: number | undefined): number {
    const argument = node.arguments?.find((a) => a.name.value === 'first');
    const asked = argument ? this.intValue(argument.value) : undefined;
    const size = asked ?? defaultSize ?? this.model.assumedListSize;
    return Math.min(this.model.maxPageSize, Math.max(1, size));
  }

  private intValue(value: ValueNode): number | undefined {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const given = this.variables[value.name.value];
      return typeof given === 'number' && Number.isFinite(given) ? Math.trunc(given) : undefined;
    }
    return undefined;
  }
}

/**
 * Measures the operation the request runs (by `operationName`, or the only one). Linear in the document:
 * each fragment is measured once per place it can be used from, however many times it is spread.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  ownership: SubgraphOwnership,
  model: CostModel = DEFAULT_COST_MODEL,
): OperationMetrics {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const measurer = new OperationMeasurer(fragments, variables, ownership, model);
  const root = measurer.selectionSet(operation.selectionSet, {
    type: ROOT_TYPES[operation.operation],
    graph: null,
    pendingPage: null,
    introspection: false,
  });
  const operationDirectives =
    (operation.directives?.length ?? 0) +
    (operation.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
  return {
    depth: root.depth,
    aliases: root.aliases,
    rootFields: root.fields,
    directives: root.directives + operationDirectives,
    cost: root.cost + root.fetches.size * model.fetchWeight,
  };
}
