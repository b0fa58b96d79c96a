import type { DocumentNode, FieldDefinitionNode, ObjectTypeDefinitionNode } from 'graphql';
import { Kind, parse, print } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { PartnerConfig } from '../config/partner-registry.js';
import { loadPartnerRegistry } from '../config/partner-registry.js';
import { partnerRegistryPath } from '../config/paths.js';
import { summariseBehaviour } from '../domain/behaviour.js';
import { brandDocument } from './brand-document.js';
import { findDirective, stringArgument } from './directive-nodes.js';
import { completeSelectionSet, objectTypesOf, parseFieldSet, printFieldSet } from './field-set.js';
import { behaviourFieldType, withPartnerBehaviours } from './partner-behaviour-requires.js';
import { subgraphDocument, subgraphDocuments } from './subgraph-document.js';

const registry = loadPartnerRegistry(partnerRegistryPath());
const mindspark = registry.byKey.get('mindspark')!;

function memberType(document: DocumentNode): ObjectTypeDefinitionNode {
  const member = document.definitions.find(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Member',
  );
  if (!member) throw new Error('no Member type');
  return member;
}
const fieldOf = (document: DocumentNode, name: string): FieldDefinitionNode | undefined =>
  memberType(document).fields?.find((f) => f.name.value === name);
const requiresOf = (field: FieldDefinitionNode | undefined): string | undefined => {
  const directive = field && findDirective(field, 'requires');
  return directive && stringArgument(directive, 'fields');
};

describe('a brand subgraph’s schema', () => {
  const document = subgraphDocument({ kind: 'brand', partner: mindspark });

  it('names the partner’s fields by partnerFieldNames and describes them from the registry', () => {
    expect(memberType(document).fields?.map((f) => f.name.value)).toEqual([
      'id',
      'mindspark',
      'mindsparkBehaviour',
    ]);
    expect(fieldOf(document, 'mindspark')?.description?.value).toBe(
      "The member's account at Mindspark Academy (online-courses); null when they have none.",
    );
    expect(findDirective(fieldOf(document, 'mindsparkBehaviour')!, 'inaccessible')).toBeDefined();
  });

  it('leaves no compose-time directive or placeholder, and builds as a subgraph', () => {
    const sdl = print(document);
    expect(sdl).not.toMatch(/@partnerField|@requiresPartnerBehaviours|\{\{/);
    expect(() => buildSubgraphSchema({ typeDefs: document })).not.toThrow();
  });

  it('refuses a template marking a field whose name is not a role', () => {
    const template = parse('type Member { id: ID! wallet: String @partnerField }');
    expect(() => brandDocument(template, mindspark)).toThrow(
      '@partnerField on "wallet", which is not a role (membership, behaviour, analytics, consent, account, export)',
    );
  });

  it('refuses a description placeholder the registry cannot fill', () => {
    const template = parse('type Member { "At {{city}}" membership: String @partnerField }');
    expect(() => brandDocument(template, mindspark)).toThrow('no value for {{city}}');
  });
});

describe('the profile and benefits schemas', () => {
  const documents = subgraphDocuments(registry);
  const sharedTypes = objectTypesOf(subgraphDocument({ kind: 'brand', partner: mindspark }));
  const wholeBehaviour = printFieldSet(completeSelectionSet('BrandBehaviour', sharedTypes).selections);

  it('require every partner’s behaviour, whole, as derived from BrandBehaviour', () => {
    const perPartner = registry.partners.map((p) => `${p.key}Behaviour { ${wholeBehaviour} }`).join(' ');
    expect(requiresOf(fieldOf(documents.get('profile')!, 'profile'))).toBe(perPartner);
    // Its own plain inputs first (consent lists, the stored tier and segment), then the behaviours.
    expect(requiresOf(fieldOf(documents.get('benefits')!, 'benefits'))).toBe(
      `consentedPartners personalisationPartners storedTier storedSegment ${perPartner}`,
    );
    expect(wholeBehaviour).toContain('categories { category spendMinor');
  });

  it('declare each behaviour field @external, with the type the brand template gives it', () => {
    for (const name of ['profile', 'benefits']) {
      for (const partner of registry.partners) {
        const field = fieldOf(documents.get(name)!, `${partner.key}Behaviour`);
        expect(field && findDirective(field, 'external')).toBeDefined();
        expect(field && print(field.type)).toBe('BrandBehaviour');
      }
    }
  });

  it('build as subgraphs', () => {
    for (const name of ['profile', 'benefits']) {
      expect(() => buildSubgraphSchema({ typeDefs: documents.get(name)! })).not.toThrow();
    }
  });

  it('follow the registry: a new partner is required without editing a template', () => {
    const newcomer = { ...mindspark, key: 'moonbeam' } as PartnerConfig;
    const document = subgraphDocument({ kind: 'profile', partners: [...registry.partners, newcomer] });
    expect(requiresOf(fieldOf(document, 'profile'))).toContain(`moonbeamBehaviour { ${wholeBehaviour} }`);
    expect(fieldOf(document, 'moonbeamBehaviour')).toBeDefined();
  });

  it('extend a template’s own @requires selection', () => {
    const template = parse(`
      type Member @key(fields: "id") {
        id: ID!
        score: Int @requires(fields: "tierInput { code }") @requiresPartnerBehaviours
      }`);
    const behaviourType = behaviourFieldType(parse('type Member { behaviour: Summary @partnerField }'));
    const types = objectTypesOf(parse('type Summary { total: Int }'));
    const document = withPartnerBehaviours(template, ['a', 'b'], behaviourType, types);
    expect(requiresOf(fieldOf(document, 'score'))).toBe(
      'tierInput { code } aBehaviour { total } bBehaviour { total }',
    );
    expect(memberType(document).fields?.map((f) => f.name.value)).toEqual([
      'id',
      'aBehaviour',
      'bBehaviour',
      'score',
    ]);
  });
});

describe('the BrandBehaviour SDL and the summary the brand subgraphs compute', () => {
  it('have exactly the same fields, down to the category activities', () => {
    const types = objectTypesOf(subgraphDocument({ kind: 'brand', partner: mindspark }));
    const selection = parseFieldSet(printFieldSet(completeSelectionSet('BrandBehaviour', types).selections));
    const summary = summariseBehaviour(
      'mindspark',
      {
        '2026-01-01': { purchaseCount: 1, spendMinor: 100, categories: { technology: { spendMinor: 100 } } },
      },
      new Date('2026-01-02T00:00:00Z'),
    );
    const sdlFields = selection.map((s) => (s.kind === Kind.FIELD ? s.name.value : '?'));
    expect(Object.keys(summary).sort()).toEqual([...sdlFields].sort());
    const categories = selection.find((s) => s.kind === Kind.FIELD && s.name.value === 'categories');
    const categoryFields =
      categories?.kind === Kind.FIELD
        ? (categories.selectionSet?.selections ?? []).map((s) => (s.kind === Kind.FIELD ? s.name.value : '?'))
        : [];
    expect(Object.keys(summary.categories[0]).sort()).toEqual([...categoryFields].sort());
  });
});
