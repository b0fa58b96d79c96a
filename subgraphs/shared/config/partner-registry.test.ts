import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOINT_CATEGORIES } from '../domain/joint-categories.js';
import { PartnerRegistryError, loadPartnerRegistry, validatePartnerRegistry } from './partner-registry.js';
import { errorThrownBy } from '../../../test/thrown-error.js';

const registryPath = join(__dirname, '../../../schema/partners.json');

interface RawBenefit {
  code: string;
  valueMinor?: number;
  percentOff?: number;
  [key: string]: unknown;
}
interface RawPartner {
  key?: string;
  port?: number;
  currency?: string;
  categoryMap: Record<string, string>;
  benefits: RawBenefit[];
  [key: string]: unknown;
}
interface RawRegistry {
  jointCategories: string[];
  partners: RawPartner[];
  [key: string]: unknown;
}

/** A fresh copy of the committed registry, to break one thing at a time. */
const realRegistry = (): RawRegistry => JSON.parse(readFileSync(registryPath, 'utf8')) as RawRegistry;

/** The message `validatePartnerRegistry` throws for `raw`, failing the test when it does not throw. */
const errorFor = (raw: unknown, source?: string): string =>
  errorThrownBy(() => validatePartnerRegistry(raw, source), PartnerRegistryError).message;

describe('the committed partner registry', () => {
  it('passes validation', () => {
    const registry = loadPartnerRegistry(registryPath);
    const keys = registry.partners.map((p) => p.key);
    expect(keys).toEqual(['mindspark', 'inkwell', 'pulsefit', 'starlight']);
    expect([...registry.byKey.keys()]).toEqual(keys);
    expect(registry.byKey.get('pulsefit')?.displayName).toEqual(expect.any(String));
  });

  it('maps every local category onto a joint category and gives every benefit a unique code', () => {
    const registry = validatePartnerRegistry(realRegistry());
    const joint: readonly string[] = JOINT_CATEGORIES;
    const benefitCodes = registry.partners.flatMap((p) => p.benefits.map((b) => b.code));
    expect(new Set(benefitCodes).size).toBe(benefitCodes.length);
    for (const partner of registry.partners) {
      expect(partner.currency).toBe('CNY');
      for (const target of Object.values(partner.categoryMap)) expect(joint).toContain(target);
      for (const b of partner.benefits)
        expect(b.valueMinor !== undefined || b.percentOff !== undefined).toBe(true);
    }
  });
});

describe('validatePartnerRegistry', () => {
  it('names the partner and key of a categoryMap entry pointing outside the joint taxonomy', () => {
    const raw = realRegistry();
    raw.partners[0].categoryMap.programming = 'sports';
    expect(errorFor(raw)).toMatch(/partner "mindspark", key "categoryMap\.programming": Invalid option/);
  });

  it('names the partner of a missing currency', () => {
    const raw = realRegistry();
    delete raw.partners[1].currency;
    expect(errorFor(raw)).toContain('partner "inkwell", key "currency"');
  });

  it('accepts only CNY as currency', () => {
    const raw = realRegistry();
    raw.partners[2].currency = 'USD';
    expect(errorFor(raw)).toContain('partner "pulsefit", key "currency"');
  });

  it('rejects a partner key listed twice', () => {
    const raw = realRegistry();
    raw.partners[1].key = 'mindspark';
    expect(errorFor(raw)).toBe('Invalid partner registry: partner "mindspark" is listed twice');
  });

  it('rejects a partner key that is the name of a programme subgraph', () => {
    const raw = realRegistry();
    raw.partners[2].key = 'profile';
    expect(errorFor(raw)).toBe(
      'Invalid partner registry: partner "profile", key "key": "profile" is the name of a programme subgraph',
    );
  });

  it('rejects a benefit code used twice, naming the partner holding the second copy', () => {
    const raw = realRegistry();
    raw.partners[2].benefits[0].code = 'MS-TRIAL-PRO';
    expect(errorFor(raw)).toBe(
      'Invalid partner registry: partner "pulsefit", key "benefits": code MS-TRIAL-PRO is used twice',
    );
  });

  it('numbers a partner that has no key', () => {
    const raw = realRegistry();
    delete raw.partners[1].key;
    expect(errorFor(raw)).toContain('partner #2, key "key"');
  });

  it('rejects a partner key that cannot become a field name', () => {
    const raw = realRegistry();
    raw.partners[3].key = 'Star-Light';
    expect(errorFor(raw)).toContain('partner "Star-Light", key "key": must be lowercase letters and digits');
  });

  it('requires a benefit to carry a value or a percentage', () => {
    const raw = realRegistry();
    delete raw.partners[0].benefits[2].valueMinor;
    expect(errorFor(raw)).toContain('partner "mindspark", key "benefits.2": needs valueMinor or percentOff');
  });

  it('names the partner and key of bad checkout or settlement terms, and reads good ones', () => {
    const raw = realRegistry();
    raw.partners[1].settlement = {
      fundingRate: { minor: 1, points: 1 },
      reimbursementRate: { minor: 1, points: 0 },
    };
    raw.partners[2].checkout = { maxPointsShareBasisPoints: 20_000 };
    const message = errorFor(raw);
    expect(message).toContain('partner "inkwell", key "settlement.reimbursementRate.points"');
    expect(message).toContain('partner "pulsefit", key "checkout.maxPointsShareBasisPoints"');
    const good = realRegistry();
    good.partners[2].checkout = { tierDiscountBasisPoints: { GOLD: 750 } };
    const registry = validatePartnerRegistry(good);
    expect(registry.byKey.get('pulsefit')?.checkout).toEqual({ tierDiscountBasisPoints: { GOLD: 750 } });
    expect(registry.byKey.get('inkwell')?.settlement?.reimbursementRate).toEqual({ minor: 9, points: 10 });
  });

  it('rejects unknown keys on a partner', () => {
    const raw = realRegistry();
    raw.partners[0].colour = 'red';
    expect(errorFor(raw)).toMatch(/partner "mindspark", key "\(entry\)": .*colour/);
  });

  it('lists every issue, one per line', () => {
    const raw = realRegistry();
    raw.partners[0].benefits[1].eligibleTiers = ['PLATINUM'];
    raw.partners[3].localTiers = [];
    const lines = errorFor(raw).split('\n');
    expect(lines[0]).toBe('Invalid partner registry:');
    expect(lines.slice(1)).toEqual([
      expect.stringContaining('partner "mindspark", key "benefits.1.eligibleTiers.0"'),
      expect.stringContaining('partner "starlight", key "localTiers"'),
    ]);
  });

  it('requires the joint categories to be exactly the taxonomy', () => {
    const raw = realRegistry();
    raw.jointCategories = ['technology', 'business'];
    expect(errorFor(raw)).toContain('key "jointCategories" must be exactly technology, business, lifestyle');
  });

  it('names the source and the root for something that is not a registry', () => {
    expect(errorFor(null, 'partners.json')).toMatch(/^Invalid partners\.json:\n {2}- key "\(root\)": /);
    expect(errorFor({ jointCategories: [...JOINT_CATEGORIES], partners: [] })).toContain('key "partners"');
  });
});

describe('loadPartnerRegistry', () => {
  it('names the file it cannot read', () => {
    expect(() => loadPartnerRegistry('/nonexistent/partners.json')).toThrow(PartnerRegistryError);
    expect(() => loadPartnerRegistry('/nonexistent/partners.json')).toThrow(
      /^Cannot read partner registry \/nonexistent\/partners\.json: /,
    );
  });
});

describe('partner ports', () => {
  it('gives every committed partner its own explicit port', () => {
    const registry = validatePartnerRegistry(realRegistry());
    const ports = registry.partners.map((p) => p.port);
    expect(ports).toEqual([4101, 4102, 4103, 4104]);
  });

  it('requires a port on every partner', () => {
    const raw = realRegistry();
    delete raw.partners[2].port;
    expect(errorFor(raw)).toContain('partner "pulsefit", key "port"');
  });

  it('rejects a port another partner already has', () => {
    const raw = realRegistry();
    raw.partners[3].port = 4102;
    expect(errorFor(raw)).toBe(
      'Invalid partner registry: partner "starlight", key "port": 4102 is already the port of partner "inkwell"',
    );
  });

  it.each([
    [4000, 'gateway'],
    [4201, 'profile'],
    [4202, 'benefits'],
  ])('rejects port %d, the port of the %s service', (port, service) => {
    const raw = realRegistry();
    raw.partners[1].port = port;
    expect(errorFor(raw)).toBe(
      `Invalid partner registry: partner "inkwell", key "port": ${port} is already the port of the ${service} service`,
    );
  });

  it('rejects a port outside 1024-65535', () => {
    const raw = realRegistry();
    raw.partners[0].port = 80;
    expect(errorFor(raw)).toContain('partner "mindspark", key "port"');
  });

  it('keeps every other partner’s port when a partner is added at the front', () => {
    const raw = realRegistry();
    const before = validatePartnerRegistry(realRegistry()).partners.map((p) => [p.key, p.port]);
    const trial = { ...raw.partners[0].benefits[2], code: 'NC-TRIAL' };
    raw.partners.unshift({ ...raw.partners[0], key: 'newcomer', port: 4105, benefits: [trial] });
    const after = validatePartnerRegistry(raw).partners.map((p) => [p.key, p.port]);
    expect(after.slice(1)).toEqual(before);
  });
});

describe('the demo member’s partners', () => {
  it('are the partners the demo section names, in registry order', () => {
    const raw = realRegistry();
    raw.demo = { memberPartners: ['starlight', 'mindspark'] };
    expect(validatePartnerRegistry(raw).demoMemberPartners.map((p) => p.key)).toEqual([
      'mindspark',
      'starlight',
    ]);
  });

  it('are the first three partners when the registry has no demo section', () => {
    const raw = realRegistry();
    delete raw.demo;
    expect(validatePartnerRegistry(raw).demoMemberPartners.map((p) => p.key)).toEqual([
      'mindspark',
      'inkwell',
      'pulsefit',
    ]);
  });

  it('must be partners of the registry', () => {
    const raw = realRegistry();
    raw.demo = { memberPartners: ['mindspark', 'moonbeam'] };
    expect(errorFor(raw)).toBe(
      'Invalid partner registry: key "demo.memberPartners": moonbeam is not a partner of the registry',
    );
  });
});

describe('membership plans', () => {
  type RawPlans = { membershipPlans: Record<string, unknown>[] };
  const raw = () => realRegistry() as unknown as RawPlans;

  it('loads the committed plans', () => {
    const registry = validatePartnerRegistry(raw());
    expect(registry.membershipPlans.map((p) => p.id)).toEqual(['joint-plus', 'fit-pass-monthly']);
  });

  it('names the plan and the key of a malformed plan', () => {
    const registry = raw();
    registry.membershipPlans[0].priceBands = [{ minScore: 10, priceMinor: 100 }];
    expect(errorFor(registry)).toContain(
      'membership plan "joint-plus", key "priceBands": the first band must start at minScore 0',
    );
    const unordered = raw();
    unordered.membershipPlans[1].priceBands = [
      { minScore: 0, priceMinor: 100 },
      { minScore: 0, priceMinor: 50 },
    ];
    expect(errorFor(unordered)).toContain('membership plan "fit-pass-monthly", key "priceBands"');
    const extra = raw();
    extra.membershipPlans[0].colour = 'gold';
    expect(errorFor(extra)).toContain('membership plan "joint-plus", key "(entry)"');
  });

  it('refuses partners and benefit codes the registry does not know', () => {
    const registry = raw();
    registry.membershipPlans[0].soldBy = 'nowhere';
    registry.membershipPlans[0].benefits = ['NO-SUCH-CODE'];
    const message = errorFor(registry);
    expect(message).toContain('membership plan "joint-plus", key "soldBy": "nowhere" is not a partner');
    expect(message).toContain(
      'membership plan "joint-plus", key "benefits": NO-SUCH-CODE is not a benefit code',
    );
  });

  it('refuses a plan listed twice', () => {
    const registry = raw();
    registry.membershipPlans.push(registry.membershipPlans[0]);
    expect(errorFor(registry)).toContain('membership plan "joint-plus" is listed twice');
  });
});
