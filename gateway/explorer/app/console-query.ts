/** The console's GraphQL: the partners first (their fields are named by key), then every figure in one query. */
export interface ProgrammeAnalytics {
  from: string;
  to: string;
  partners: string[];
  membership: {
    members: number;
    joinedByMonth: { month: string; members: number }[];
    linkedBrands: { brands: number; members: number }[];
    consentRate: number;
  };
  crossBrandPenetration: { brands: number; members: number }[];
  retentionCohorts: { cohort: string; size: number; retained: number[] }[];
  points: {
    issued: number;
    reversed: number;
    redeemed: number;
    expired: number;
    adjusted: number;
    outstanding: number;
    monthly: { month: string; issued: number; reversed: number; redeemed: number; expired: number }[];
  };
  tiers: {
    current: { tier: string; members: number }[];
    notEvaluated: number;
    periods: { period: string; initial: number; upgrades: number; downgrades: number; grace: number }[];
  };
  redemptions: {
    benefit: { id: string; title: string; partner: string };
    redemptions: number;
    points: number;
    cancelled: number;
  }[];
  [partner: string]: unknown;
}

/** A figure from a query of its own: the answer, or why there is none (e.g. MODEL_NOT_TRAINED). */
export type Section<T> = { data: T } | { unavailable: string };

export interface CampaignResultsRow {
  name: string;
  status: string;
  results: { treated: number; control: number; uplift: number | null } | null;
}

export interface ConsoleData {
  analytics: ProgrammeAnalytics;
  campaigns: Section<CampaignResultsRow[]>;
  satisfaction: Section<{ partner: string; averageRating: number | null; ratings: number }[]>;
  segments: Section<{ id: string; label: string; size: number }[]>;
}

export interface BrandPurchases {
  partner: string;
  buyers: number;
  repeatBuyers: number;
  repurchaseRate: number;
  orders: number;
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

async function post<T>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new GraphQLRequestError(first.message, first.extensions?.code);
  }
  return body.data as T;
}

const WINDOW = '$from: DateTime!, $to: DateTime!';

export async function fetchProgrammeAnalytics(
  token: string,
  window: { from: string; to: string },
): Promise<ProgrammeAnalytics> {
  const { programmeAnalytics: head } = await post<{ programmeAnalytics: { partners: string[] } }>(
    token,
    `query ConsolePartners(${WINDOW}) { programmeAnalytics(from: $from, to: $to) { partners } }`,
    window,
  );
  const partnerFields = head.partners
    .map((key) => `${key} { partner buyers repeatBuyers repurchaseRate orders }`)
    .join('\n    ');
  const query = `query ConsoleAnalytics(${WINDOW}) {
  programmeAnalytics(from: $from, to: $to) {
    from
    to
    partners
    membership { members joinedByMonth { month members } linkedBrands { brands members } consentRate }
    crossBrandPenetration { brands members }
    retentionCohorts { cohort size retained }
    points {
      issued reversed redeemed expired adjusted outstanding
      monthly { month issued reversed redeemed expired }
    }
    tiers {
      current { tier members }
      notEvaluated
      periods { period initial upgrades downgrades grace }
    }
    redemptions { benefit { id title partner } redemptions points cancelled }
    ${partnerFields}
  }
}`;
  const { programmeAnalytics } = await post<{ programmeAnalytics: ProgrammeAnalytics }>(token, query, window);
  return programmeAnalytics;
}

export const purchasesOf = (a: ProgrammeAnalytics): BrandPurchases[] =>
  a.partners.map((key) => a[key] as BrandPurchases);

async function section<T>(load: () => Promise<T>): Promise<Section<T>> {
  try {
    return { data: await load() };
  } catch (error) {
    const code = error instanceof GraphQLRequestError && error.code ? `${error.code}: ` : '';
    return { unavailable: `${code}${(error as Error).message}` };
  }
}

/** Everything the console draws: the window's figures, and the programme's campaigns, feedback and segments. */
export async function fetchConsoleData(
  token: string,
  window: { from: string; to: string },
): Promise<ConsoleData> {
  const [analytics, campaigns, satisfaction, segments] = await Promise.all([
    fetchProgrammeAnalytics(token, window),
    section(async () => {
      const { campaigns: page } = await post<{ campaigns: { edges: { node: CampaignResultsRow }[] } }>(
        token,
        'query ConsoleCampaigns { campaigns(first: 50) { edges { node { name status results { treated control uplift } } } } }',
        {},
      );
      return page.edges.map((e) => e.node);
    }),
    section(async () => {
      const { benefitSatisfaction } = await post<{
        benefitSatisfaction: {
          partners: { partner: string; averageRating: number | null; ratings: number }[];
        };
      }>(
        token,
        'query ConsoleSatisfaction { benefitSatisfaction { partners { partner averageRating ratings } } }',
        {},
      );
      return benefitSatisfaction.partners;
    }),
    section(async () => {
      const { segments } = await post<{ segments: { id: string; label: string; size: number }[] }>(
        token,
        'query ConsoleSegments { segments { id label size } }',
        {},
      );
      return segments;
    }),
  ]);
  return { analytics, campaigns, satisfaction, segments };
}
