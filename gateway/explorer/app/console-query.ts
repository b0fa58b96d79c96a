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
  [partner: string]: unknown;
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
    ${partnerFields}
  }
}`;
  const { programmeAnalytics } = await post<{ programmeAnalytics: ProgrammeAnalytics }>(token, query, window);
  return programmeAnalytics;
}

export const purchasesOf = (a: ProgrammeAnalytics): BrandPurchases[] =>
  a.partners.map((key) => a[key] as BrandPurchases);
