/**
 * The operations GraphiQL opens with, one tab each: what a brand's web page, the mobile app, partner staff and
 * an operator ask for. Each names the token it needs; the token picker fills it in.
 */
export interface ExampleOperation {
  query: string;
  variables?: string;
}

const BRAND_WEB_PAGE = `# Inkwell's web page, signed in as the member (token: the demo member).
query BrandWebPage {
  me {
    inkwell {
      brandMemberId
      localTier
      recentOrders(first: 3) {
        orderId
        amount {
          amountMinor
          currency
        }
        occurredAt
      }
    }
    profile {
      tier {
        code
        name
      }
    }
  }
}
`;

const MOBILE_DASHBOARD = `# The mobile app's dashboard (token: the demo member).
query MobileDashboard {
  me {
    id
    displayName
    profile {
      compositeScore
      tier {
        code
      }
      affinities {
        category
        share
      }
      explanation
    }
    wallet {
      balance
      pending
    }
    benefits {
      items {
        benefit {
          id
          title
          partner
        }
        reason
      }
    }
  }
}
`;

const STAFF_LOOKUP = `# Inkwell staff look a member up (token: staff of inkwell); only Inkwell's fields and the joint tier.
query StaffLookup($id: ID!) {
  member(id: $id) {
    id
    partners {
      partner
      partnerMemberId
    }
    inkwell {
      brandMemberId
      localTier
    }
    profile {
      tier {
        code
      }
    }
  }
}
`;

const OPERATOR_REPORT = `# An operator's report (token: admin): the first members and a partner's catalogue.
query OperatorReport {
  members(first: 10) {
    totalCount
    edges {
      node {
        id
        joinedAt
        partners {
          partner
        }
      }
    }
  }
  benefitCatalogue(partner: "starlight", first: 5) {
    totalCount
    edges {
      node {
        id
        title
        eligibleTiers
      }
    }
  }
}
`;

const MEMBER_INTELLIGENCE = `# Member intelligence on the member's own profile (token: the demo member; after \`npm run train\`).
query MemberIntelligence {
  me {
    profile {
      tier {
        code
      }
      heldTier {
        tier {
          code
        }
        since
        evaluatedAt
        period
        score
        grace {
          sincePeriod
          qualifiedFor
        }
      }
      tierHistory {
        at
        period
        from
        to
        score
        change
      }
      tierProgress {
        next {
          code
          minScore
        }
        score
        scoreGap
        extraSpend {
          amountMinor
          currency
        }
        hint
      }
      rfm {
        recency
        frequency
        monetary
        segment
        segmentName
        explanation
      }
      segment {
        id
        label
        explanation
      }
      lifetimeValue {
        expectedPurchases90d
        probabilityAlive
        expectedOrderValue {
          amountMinor
          currency
        }
        clv12m {
          amountMinor
          currency
        }
        asOf
      }
      churnRisk {
        probabilityAlive
        atRisk
        highValue
      }
      recommendations(first: 5) {
        partner
        category
        score
        reason
      }
      intelligenceVersion
    }
  }
}
`;

const INTELLIGENCE_OVERVIEW = `# The model in use, its value segments and the high-value members at risk, page by page (token: admin).
query IntelligenceOverview($after: String) {
  intelligenceModel {
    version
    asOf
    seed
    members
    valueSegments
    silhouette
  }
  segments {
    id
    label
    size
    centroid
    features
  }
  membersAtRisk(first: 20, after: $after) {
    edges {
      cursor
      node {
        member {
          id
        }
        probabilityAlive
        spend {
          amountMinor
          currency
        }
        valueAtRisk {
          amountMinor
          currency
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  { query: BRAND_WEB_PAGE },
  { query: MOBILE_DASHBOARD },
  { query: STAFF_LOOKUP, variables: JSON.stringify({ id: 'M000001' }, null, 2) },
  { query: OPERATOR_REPORT },
  { query: MEMBER_INTELLIGENCE },
  { query: INTELLIGENCE_OVERVIEW, variables: JSON.stringify({ after: null }, null, 2) },
];
