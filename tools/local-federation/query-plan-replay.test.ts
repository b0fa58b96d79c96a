import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import type { QueryPlan } from '@apollo/query-planner';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import type { SubgraphCall } from './query-plan-replay.js';
import { objectsAt, replayQueryPlan, restrictTo } from './query-plan-replay.js';

const root = resolve(__dirname, '../..');
const supergraph = Supergraph.build(readFileSync(resolve(root, 'schema/supergraph.graphql'), 'utf8'));
const planOf = (query: string): QueryPlan =>
  new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));

test('replays the dashboard plan: the root fetch first, then each entity fetch with the representations it requires', async () => {
  const plan = planOf(readFileSync(resolve(root, 'operations/mobile-dashboard.graphql'), 'utf8'));
  const calls: { service: string; variables: Record<string, unknown> }[] = [];
  const call: SubgraphCall = async (service, body) => {
    calls.push({ service, variables: body.variables });
    if (service === 'profile' && !body.variables.representations)
      return {
        data: {
          me: {
            __typename: 'Member',
            id: 'M1',
            displayName: 'Ada',
            starlightConsent: true,
            starlightAccount: 'ST1',
            pulsefitConsent: false,
            pulsefitAccount: null,
            inkwellConsent: false,
            inkwellAccount: null,
            mindsparkConsent: false,
            mindsparkAccount: null,
            consentedPartners: ['starlight'],
            personalisationPartners: [],
            storedTier: null,
            storedSegment: null,
          },
        },
      };
    const entity: Record<string, unknown> =
      service === 'benefits'
        ? body.query.includes('wallet')
          ? { wallet: { balance: 5 } }
          : { benefits: { items: [] } }
        : service === 'profile'
          ? { profile: { compositeScore: 0.5 } }
          : { [`${service}Behaviour`]: service === 'starlight' ? { purchaseCount: 2 } : null };
    return { data: { _entities: [entity] } };
  };

  const { data, errors } = await replayQueryPlan(plan, call);

  expect(errors).toEqual([]);
  expect(calls[0]).toEqual({ service: 'profile', variables: {} });
  expect(calls.map((c) => c.service).sort()).toEqual(
    ['benefits', 'benefits', 'inkwell', 'mindspark', 'profile', 'profile', 'pulsefit', 'starlight'].sort(),
  );
  const starlight = calls.find((c) => c.service === 'starlight')!;
  expect(starlight.variables.representations).toEqual([
    { __typename: 'Member', id: 'M1', starlightConsent: true, starlightAccount: 'ST1' },
  ]);
  // The last fetches run after the brands answered: they carry every behaviour the brands merged in.
  const lastProfile = calls.filter((c) => c.service === 'profile')[1];
  expect(lastProfile.variables.representations).toEqual([
    expect.objectContaining({ starlightBehaviour: { purchaseCount: 2 }, pulsefitBehaviour: null }),
  ]);
  expect(
    restrictTo(data, { me: { displayName: 1, wallet: 1, profile: 1, benefits: 1, starlightBehaviour: 1 } }),
  ).toEqual({
    me: {
      displayName: 'Ada',
      wallet: { balance: 5 },
      profile: { compositeScore: 0.5 },
      benefits: { items: [] },
      starlightBehaviour: { purchaseCount: 2 },
    },
  });
});

test('objectsAt steps into lists at @ and leaves out nulls', () => {
  const tree = { a: [{ b: { id: 1 } }, { b: null }, { b: { id: 2 } }] };
  expect(objectsAt(tree, ['a', '@', 'b'])).toEqual([{ id: 1 }, { id: 2 }]);
});

test('refuses plan nodes it cannot replay rather than answer wrongly', async () => {
  const plan = { kind: 'QueryPlan', node: { kind: 'Condition', condition: 'x' } } as unknown as QueryPlan;
  await expect(replayQueryPlan(plan, () => Promise.resolve({}))).rejects.toThrow(/Condition nodes/);
});
