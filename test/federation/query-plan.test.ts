import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import { readFileSync } from 'node:fs';
import type {
  DirectiveNode,
  ObjectTypeDefinitionNode,
  ObjectTypeExtensionNode,
  SelectionSetNode,
} from 'graphql';
import { Kind, parse } from 'graphql';
import type { PartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { loadPartnerRegistry } from '../../subgraphs/shared/config/partner-registry.js';
import { partnerRegistryPath, supergraphPath } from '../../subgraphs/shared/config/paths.js';
import { DEFAULT_TIER_BANDS, tierForScore } from '../../subgraphs/shared/domain/tiers.js';
import { TierStore } from '../../subgraphs/profile/data/tier-store.js';
import { evaluateTier } from '../../subgraphs/profile/domain/tier-evaluation.js';
import { evaluateMemberTiers } from '../../subgraphs/profile/training/evaluate-member-tiers.js';
import type { MemberDocument } from '../../subgraphs/profile/data/member-model.js';
import { partnersConsentedFor } from '../../subgraphs/profile/domain/consent/consent-purposes.js';
import type { BrandBehaviour } from '../../subgraphs/shared/domain/behaviour.js';
import { emptyBehaviour } from '../../subgraphs/shared/domain/behaviour.js';
import { partnerFieldNames } from '../../subgraphs/shared/sdl/partner-field-names.js';
import { subgraphDocuments } from '../../subgraphs/shared/sdl/subgraph-document.js';
import { composeSupergraph } from '../../tools/compose/compose-supergraph.js';
import { useTestFederation } from '../federation-harness.js';
import { answeredDataOf, dataOf } from './graphql-responses.js';

/** The member dashboard (docs/architecture.md §2): the member, one brand's account, the cross-brand profile, the bundle. */
const DASHBOARD = `{ me {
  id
  mindspark { brandMemberId }
  profile { compositeScore tier { code } affinities { category share } }
  benefits { tier { code } items { benefit { id title } reason } }
} }`;

/** Dotted paths of every field in a query-plan selection (`mindsparkBehaviour.categories.category`, …). */
function planSelectionPaths(
  selections: readonly QueryPlanSelectionNode[] | undefined,
  prefix = '',
): string[] {
  const paths: string[] = [];
  for (const selection of selections ?? []) {
    if (selection.kind === 'InlineFragment') {
      paths.push(...planSelectionPaths(selection.selections, prefix));
      continue;
    }
    if (selection.name === '__typename') continue;
    const path = prefix + (selection.alias ?? selection.name);
    paths.push(path, ...planSelectionPaths(selection.selections, `${path}.`));
  }
  return paths;
}

/** Dotted paths of every field a fetch returns, relative to the entity (or the root field's value). */
function fetchedPaths(fetch: FetchNode): string[] {
  const operation = parse(fetch.operation).definitions[0];
  if (operation.kind !== Kind.OPERATION_DEFINITION) throw new Error(`unexpected fetch ${fetch.operation}`);
  const collect = (set: SelectionSetNode | undefined, prefix: string): string[] =>
    (set?.selections ?? []).flatMap((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) return collect(selection.selectionSet, prefix);
      if (selection.kind !== Kind.FIELD || selection.name.value === '__typename') return [];
      const path = prefix + (selection.alias?.value ?? selection.name.value);
      return [path, ...collect(selection.selectionSet, `${path}.`)];
    });
  // Below the root field (`me`, `_entities`): the paths are then relative to the member.
  return (operation.selectionSet.selections ?? []).flatMap((root) =>
    root.kind === Kind.FIELD ? collect(root.selectionSet, '') : [],
  );
}

/** A fetch, possibly under a Flatten (entity fetches are). */
function fetchOf(node: PlanNode): FetchNode {
  if (node.kind === 'Flatten') return fetchOf(node.node);
  if (node.kind !== 'Fetch') throw new Error(`expected a Fetch, found ${node.kind}`);
  return node;
}

function planDashboard(supergraphSdl: string): QueryPlan {
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  return planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(DASHBOARD)));
}

describe('the dashboard query plan', () => {
  let registry: PartnerRegistry;
  let composed: string;
  let steps: PlanNode[];
  let brandKeys: string[];

  beforeAll(() => {
    registry = loadPartnerRegistry(partnerRegistryPath());
    brandKeys = registry.partners.map((p) => p.key);
    composed = composeSupergraph(registry);
    const plan = planDashboard(composed);
    expect(plan.node?.kind).toBe('Sequence');
    steps = (plan.node as Extract<PlanNode, { kind: 'Sequence' }>).nodes;
  });

  it('is composed from the subgraph schemas the services build into exactly the committed supergraph', () => {
    expect(composed).toBe(readFileSync(supergraphPath(), 'utf8'));
  });

  it('runs in exactly three sequential steps', () => {
    expect(steps.map((s) => s.kind)).toEqual(['Fetch', 'Parallel', 'Parallel']);
  });

  it('step 1 fetches the member from the profile subgraph, with the consent list and the stored tier', () => {
    const first = fetchOf(steps[0]);
    expect(first.serviceName).toBe('profile');
    expect(first.requires).toBeUndefined();
    expect(fetchedPaths(first)).toEqual(expect.arrayContaining(['id', 'consentedPartners', 'storedTier']));
  });

  it('step 2 fetches every brand subgraph’s behaviour summary in parallel', () => {
    const parallel = steps[1] as Extract<PlanNode, { kind: 'Parallel' }>;
    expect(parallel.nodes.every((n) => n.kind === 'Flatten')).toBe(true);
    const fetches = parallel.nodes.map(fetchOf);
    expect(fetches.map((f) => f.serviceName).sort()).toEqual([...brandKeys].sort());
    for (const fetch of fetches) {
      expect(fetchedPaths(fetch)).toContain(partnerFieldNames(fetch.serviceName).behaviour);
    }
  });

  it('step 3 runs the profile and the benefits subgraphs in parallel, each under a Flatten', () => {
    const parallel = steps[2] as Extract<PlanNode, { kind: 'Parallel' }>;
    expect(parallel.nodes.map((n) => n.kind)).toEqual(['Flatten', 'Flatten']);
    expect(
      parallel.nodes
        .map(fetchOf)
        .map((f) => f.serviceName)
        .sort(),
    ).toEqual(['benefits', 'profile']);
  });

  it('fetches every @requires input of step 3 in an earlier step, whole', () => {
    const earlier = [
      fetchOf(steps[0]),
      ...(steps[1] as Extract<PlanNode, { kind: 'Parallel' }>).nodes.map(fetchOf),
    ];
    const fetchedBefore = new Set(earlier.flatMap(fetchedPaths));
    const behaviourFields = brandKeys.map((key) => partnerFieldNames(key).behaviour);

    for (const fetch of (steps[2] as Extract<PlanNode, { kind: 'Parallel' }>).nodes.map(fetchOf)) {
      const required = planSelectionPaths(fetch.requires);
      const topLevel = required.filter((p) => !p.includes('.'));
      // Each behaviour summary is required whole, not only its top-level field (e.g. `mindsparkBehaviour.categories.category`).
      for (const behaviour of behaviourFields) {
        expect({
          service: fetch.serviceName,
          behaviour,
          wholeEnough: required.filter((p) => p.startsWith(`${behaviour}.`)).length >= 10,
        }).toEqual({ service: fetch.serviceName, behaviour, wholeEnough: true });
      }
      expect({ service: fetch.serviceName, requires: topLevel }).toEqual({
        service: fetch.serviceName,
        requires: expect.arrayContaining(
          fetch.serviceName === 'benefits'
            ? [...behaviourFields, 'consentedPartners', 'storedTier']
            : behaviourFields,
        ),
      });
      // Every field of every required selection (down to categories.decayedSpend) comes from an earlier fetch.
      expect({ service: fetch.serviceName, missing: required.filter((p) => !fetchedBefore.has(p)) }).toEqual({
        service: fetch.serviceName,
        missing: [],
      });
    }
    // Each brand's summary comes from that brand's own subgraph; the consent list from the profile.
    for (const key of brandKeys) {
      expect(earlier.find((f) => f.serviceName === key)!.operation).toContain(
        partnerFieldNames(key).behaviour,
      );
    }
    expect(fetchedPaths(fetchOf(steps[0]))).toContain('consentedPartners');
    // The stored tier too: a plain field of the profile subgraph, so the bundle's tier is the profile's.
    expect(fetchedPaths(fetchOf(steps[0]))).toContain('storedTier');
  });

  it('never names a field carrying @requires inside another field’s @requires selection', () => {
    // docs/architecture.md §2: a required field that itself needs inputs gets planned too early, without them.
    const withRequires = new Set<string>();
    const requiredBy: { field: string; subgraph: string; names: string[] }[] = [];
    const directive = (node: { directives?: readonly DirectiveNode[] }, name: string) =>
      node.directives?.find((d) => d.name.value === name);
    for (const [subgraph, document] of subgraphDocuments(registry)) {
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
          continue;
        const type = definition as ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
        for (const field of type.fields ?? []) {
          const requires = directive(field, 'requires');
          if (!requires) continue;
          const coordinate = `${type.name.value}.${field.name.value}`;
          withRequires.add(coordinate);
          const fields = requires.arguments?.find((a) => a.name.value === 'fields')?.value;
          if (fields?.kind !== Kind.STRING) throw new Error(`${coordinate} has a @requires without fields`);
          const selection = parse(`{ ${fields.value} }`).definitions[0];
          if (selection.kind !== Kind.OPERATION_DEFINITION) throw new Error('unexpected @requires selection');
          const names = selection.selectionSet.selections.flatMap((s) =>
            s.kind === Kind.FIELD ? [`${type.name.value}.${s.name.value}`] : [],
          );
          requiredBy.push({ field: coordinate, subgraph, names });
        }
      }
    }
    expect(requiredBy.map((r) => `${r.subgraph}:${r.field}`).sort()).toEqual([
      'benefits:Member.availablePlans',
      'benefits:Member.benefits',
      'benefits:Member.campaigns',
      'benefits:Member.membership',
      'profile:Member.dataExport',
      'profile:Member.profile',
    ]);
    for (const { field, names } of requiredBy) {
      expect({ field, requiresFieldsWithRequires: names.filter((n) => withRequires.has(n)) }).toEqual({
        field,
        requiresFieldsWithRequires: [],
      });
    }
  });
});

describe('the bundle’s tier through the running federation', () => {
  const fed = useTestFederation({ members: 120 });

  it('equals the profile’s tier and the tier of the composite score for 30 members', async () => {
    const token = await fed.token({ role: 'admin' });
    const answer = await fed.query(
      '{ members(first: 30) { edges { node { id profile { compositeScore tier { code } } benefits { tier { code } } } } } }',
      { token },
    );
    const nodes = answeredDataOf<{
      members: {
        edges: {
          node: {
            id: string;
            profile: { compositeScore: number; tier: { code: string } };
            benefits: { tier: { code: string } };
          };
        }[];
      };
    }>(answer).members.edges.map((e) => e.node);
    expect(nodes).toHaveLength(30);
    const mismatches = nodes.filter(
      (n) =>
        n.benefits.tier.code !== n.profile.tier.code ||
        n.profile.tier.code !== tierForScore(n.profile.compositeScore).code,
    );
    expect(mismatches).toEqual([]);
    // The sample is worth something only when it spans more than one tier.
    expect(new Set(nodes.map((n) => n.profile.tier.code)).size).toBeGreaterThan(1);
  });

  it('is the stored tier of the scheduled evaluation, in the profile and the bundle, whatever the live score says', async () => {
    // A member outside the sample above, whose stored tier is set to one their live score does not reach.
    const memberId = 'M000100';
    const token = await fed.token({ role: 'member', memberId });
    const before = dataOf<{ me: { profile: { compositeScore: number; tier: { code: string } } } }>(
      (await fed.query('{ me { profile { compositeScore tier { code } } } }', { token })).body,
    ).me.profile;
    const live = tierForScore(before.compositeScore).code;
    expect(before.tier.code).toBe(live); // no evaluation yet: the live score's tier
    const score = live === 'DIAMOND' ? 10 : 95;
    const { tier } = evaluateTier(null, score, DEFAULT_TIER_BANDS, { now: fed.now });
    await new TierStore(fed.dbs.profile.connection).save([{ memberId, previousEvaluatedAt: null, tier }]);

    const { body } = await fed.query(
      `{ me { profile { compositeScore tier { code } explanation } benefits { tier { code } } } }`,
      {
        token,
      },
    );
    expect(body.errors).toBeUndefined();
    const me = dataOf<{
      me: {
        profile: { compositeScore: number; tier: { code: string }; explanation: string[] };
        benefits: { tier: { code: string } };
      };
    }>(body).me;
    expect(me.profile.compositeScore).toBe(before.compositeScore);
    expect(me.profile.tier.code).toBe(tier.code);
    expect(me.profile.tier.code).not.toBe(live);
    expect(me.benefits.tier.code).toBe(tier.code);
    expect(me.profile.explanation[1]).toContain('as the last scheduled tier evaluation stored it');
  });

  it('holds the stored tier through a grace period across two evaluations, in the profile and the bundle', async () => {
    const memberId = 'M000090';
    const token = await fed.token({ role: 'member', memberId });
    const member = await fed.dbs.profile.connection
      .collection<MemberDocument>('members')
      .findOne({ _id: memberId });
    const partner = partnersConsentedFor(member!.links, 'CROSS_BRAND_PROFILE')[0];
    const tiers = new TierStore(fed.dbs.profile.connection);
    const settings = { store: tiers, populationModel: fed.model };
    // The evaluation's view of the member: far above everyone, then nothing at all.
    const top = { ...emptyBehaviour(partner), spendMinor: 1e9, purchaseCount: 1e4, interactionCount: 1e4 };
    const evaluate = (behaviour: BrandBehaviour, days: number) =>
      evaluateMemberTiers(
        [{ memberId, behaviours: [behaviour], purchaseDays: [] }],
        settings,
        new Date(fed.now.getTime() + days * 86_400_000),
        () => undefined,
      );
    const read = async () => {
      const { body } = await fed.query(
        '{ me { profile { compositeScore tier { code } heldTier { grace { qualifiedFor } } tierHistory { change } } benefits { tier { code } } } }',
        { token },
      );
      expect(body.errors).toBeUndefined();
      return dataOf<{
        me: {
          profile: {
            compositeScore: number;
            tier: { code: string };
            heldTier: { grace: { qualifiedFor: string } | null };
            tierHistory: { change: string }[];
          };
          benefits: { tier: { code: string } };
        };
      }>(body).me;
    };

    await evaluate(top, 0);
    const first = await read();
    expect([first.profile.tier.code, first.benefits.tier.code]).toEqual(['DIAMOND', 'DIAMOND']);

    await evaluate(emptyBehaviour(partner), 35); // the next month: below DIAMOND, kept through the grace period
    const second = await read();
    expect([second.profile.tier.code, second.benefits.tier.code]).toEqual(['DIAMOND', 'DIAMOND']);
    expect(second.profile.heldTier.grace).toEqual({ qualifiedFor: 'BASIC' });

    await evaluate(emptyBehaviour(partner), 70); // the month after: the grace period is over
    const third = await read();
    expect([third.profile.tier.code, third.benefits.tier.code]).toEqual(['BASIC', 'BASIC']);
    expect(third.profile.tierHistory.map((h) => h.change)).toEqual(['INITIAL', 'GRACE', 'DOWNGRADE']);
    // The member's live score never moved: the tier did, only by the evaluations.
    expect(new Set([first, second, third].map((r) => r.profile.compositeScore)).size).toBe(1);
  });

  it('equals the profile’s tier on the member’s own dashboard', async () => {
    const token = await fed.token({ role: 'member', memberId: 'M000001' });
    const { me } = answeredDataOf<{
      me: {
        profile: { compositeScore: number; tier: { code: string } };
        benefits: { tier: { code: string } };
      };
    }>(await fed.query(DASHBOARD, { token }));
    expect(me.benefits.tier.code).toBe(me.profile.tier.code);
    expect(me.profile.tier.code).toBe(tierForScore(me.profile.compositeScore).code);
  });
});
