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

export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  { query: BRAND_WEB_PAGE },
  { query: MOBILE_DASHBOARD },
  { query: STAFF_LOOKUP, variables: JSON.stringify({ id: 'M000001' }, null, 2) },
  { query: OPERATOR_REPORT },
];
